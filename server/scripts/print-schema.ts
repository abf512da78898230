import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { printSchema } from "graphql";
import { schema } from "../src/schema/index.js";

export const SCHEMA_FILE = fileURLToPath(new URL("../../schema.graphql", import.meta.url));

writeFileSync(SCHEMA_FILE, `${printSchema(schema)}\n`);
process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
