import { registrySuite } from "./registry-suite.js";
import { startTestApp } from "./harness.js";

registrySuite("PGlite", () => startTestApp());
