import { dashboardSuite } from "./dashboard-suite.js";
import { onPostgres } from "./postgres.js";

await onPostgres("dashboard suite", dashboardSuite);
