import { evaluationSuite } from "./evaluation-suite.js";
import { startTestApp } from "./harness.js";

evaluationSuite("PGlite", (options) => startTestApp(options));
