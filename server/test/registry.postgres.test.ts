import { describe, it } from "vitest";
import { startTestApp } from "./harness.js";
import { createScratchDatabase, postgresUnavailable } from "./postgres.js";
import { registrySuite } from "./registry-suite.js";

const unavailable = await postgresUnavailable();

if (unavailable) {
  console.warn(`skipping the PostgreSQL registry suite: ${unavailable}`);
  describe.skip("adapter registry (PostgreSQL)", () => it("needs PostgreSQL", () => undefined));
} else {
  registrySuite("PostgreSQL", async () => {
    const database = await createScratchDatabase();
    const app = await startTestApp({ databaseUrl: database.url });
    return { ...app, close: async () => { await app.close(); await database.drop(); } };
  });
}
