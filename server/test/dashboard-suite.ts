import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { peftAdapter, upload } from "./fixtures.js";
import type { TestApp } from "./harness.js";

const DASHBOARD = `{ dashboard {
  stats { adaptersTotal adaptersActive experimentsByStatus { status count } runsRunning generationsToday averageRating ratingCount }
  health { database { ok kind error } sidecars { name connected executionProviders } queueDepth { runs generations } workerPool { threads queued completed } }
  featuredAdapters { bestRated { name } mostUsed { name } }
} }`;

/** The dashboard's counts and health on a database named by `label` ("PGlite", "PostgreSQL": the kind health reports). */
export function dashboardSuite(label: string, start: () => Promise<TestApp>): void {
  let app: TestApp;

  async function addAdapter(name: string): Promise<string> {
    const { weights, config } = peftAdapter({ seed: name.length });
    const { body } = await upload(app.url, [{ name: "adapter_model.safetensors", data: weights }, { name: "adapter_config.json", data: config }], { name, version: "1" });
    return body.data.uploadAdapter.adapter.id;
  }

  beforeAll(async () => {
    app = await start();
  });

  afterAll(async () => {
    await app?.close();
  });

  describe(`the dashboard (${label})`, () => {
    it("opens on an empty registry with a healthy database and nothing featured", async () => {
      const { data } = await app.gql(DASHBOARD);
      expect(data.dashboard.stats).toEqual({ adaptersTotal: 0, adaptersActive: 0, experimentsByStatus: [], runsRunning: 0, generationsToday: 0, averageRating: null, ratingCount: 0 });
      expect(data.dashboard.health).toMatchObject({ database: { ok: true, kind: label.toLowerCase(), error: null }, sidecars: [], queueDepth: { runs: 0, generations: 0 } });
      expect(data.dashboard.health.workerPool.threads).toBeGreaterThanOrEqual(1);
      expect(data.dashboard.featuredAdapters).toEqual({ bestRated: [], mostUsed: [] });
    });

    it("counts adapters, experiments by status and ratings, and features the best rated and most used active adapters", async () => {
      const [loved, used, idle, retired] = [await addAdapter("loved"), await addAdapter("used"), await addAdapter("idle"), await addAdapter("retired")];
      const prisma = app.deps.db.prisma;
      await prisma.adapter.update({ where: { id: loved }, data: { ratingSum: 9, ratingCount: 2, usageCount: 1 } });
      await prisma.adapter.update({ where: { id: used }, data: { ratingSum: 3, ratingCount: 1, usageCount: 7 } });
      await prisma.adapter.update({ where: { id: retired }, data: { ratingSum: 5, ratingCount: 1, usageCount: 50, active: false } });
      await app.gql(`mutation($id: ID!) { deleteAdapter(id: $id) { __typename } }`, { id: idle });
      await app.gql(`mutation { createExperiment(input: { name: "one", baseModelId: "tunes-s" }) { __typename } }`);
      await app.gql(`mutation { createExperiment(input: { name: "two", baseModelId: "tunes-m" }) { __typename } }`);

      const { data } = await app.gql(DASHBOARD);
      expect(data.dashboard.stats).toMatchObject({ adaptersTotal: 3, adaptersActive: 2, experimentsByStatus: [{ status: "DRAFT", count: 2 }] });
      expect(data.dashboard.featuredAdapters).toEqual({ bestRated: [{ name: "loved" }, { name: "used" }], mostUsed: [{ name: "used" }, { name: "loved" }] });
    });
  });
}
