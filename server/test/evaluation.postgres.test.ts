import { evaluationSuite } from "./evaluation-suite.js";
import { onPostgres } from "./postgres.js";

await onPostgres("evaluation suite", evaluationSuite);
