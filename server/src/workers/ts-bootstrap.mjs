// Development and tests only: tsx cannot reach into worker threads on Node 20, so load the
// TypeScript worker through tsx's API. Production runs the compiled .js worker directly.
import { workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

const mod = await tsImport(workerData.__tsWorker, import.meta.url);
export default mod.default;
