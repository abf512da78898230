// Development and tests only (as workers/ts-bootstrap.mjs for the API's pool): Node 20 does not carry tsx into worker
// threads, so the TypeScript worker is loaded through tsx's API. A build runs the compiled .js worker directly.
import { workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

export default (await tsImport(workerData.tsWorker, import.meta.url)).default;
