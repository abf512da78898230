import { onPostgres } from "./postgres.js";
import { registrySuite } from "./registry-suite.js";

await onPostgres("registry suite", registrySuite);
