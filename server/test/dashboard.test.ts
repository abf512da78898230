import { dashboardSuite } from "./dashboard-suite.js";
import { startTestApp } from "./harness.js";

dashboardSuite("PGlite", () => startTestApp());
