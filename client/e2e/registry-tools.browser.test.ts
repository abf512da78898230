import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { scoreSample } from "../../server/src/generation/sample-scores";
import { kohyaAdapter } from "../../server/test/fixtures";
import { tunesAdapterFiles } from "../../server/test/generation-fixtures";
import type { TestApp } from "../../server/test/harness";
import { uploadAdapter, type AddedAdapter } from "../src/api/uploadAdapter";
import { CURRENT_MODEL_STORAGE_KEY } from "../src/composables/useCurrentModel";
import { adminFetch, chromiumPath, openStudio, screenshot, settled, type Studio } from "./browser";
import { peftAdapterFiles } from "./fixtures";

/*
 * The adapter registry as ComfyUI-Lora-Manager and Civitai users expect it (issue 11, items 8, 9, 10, 16 and 17): the
 * metadata editor with trigger-word suggestions, downloads and the copy / Generate / A/B actions, Civitai metadata
 * and its import dialog, duplicates, the composition order, and filters kept when coming back to the list.
 */

const TAG_FREQUENCY = JSON.stringify({ "10_rhodes": { rhodes: 40, "warm keys": 12 }, "5_live": { "warm keys": 30, crowd: 5 } });

describe.skipIf(!chromiumPath)("adapter registry tools in Chromium", () => {
  let studio: Studio;
  let app: TestApp;
  let page: Page;
  const seeded: Record<string, AddedAdapter> = {};

  async function seed(key: string, name: string, version: string, files: File[], active = true): Promise<AddedAdapter> {
    const outcome = await uploadAdapter({ name, version, active }, files, adminFetch(app));
    if (!outcome.adapter) throw new Error(`seeding ${name} failed: ${outcome.failure.message}`);
    seeded[key] = outcome.adapter;
    return outcome.adapter;
  }

  const kohyaFile = (seed: number, metadata: Record<string, string> = {}) => [new File([kohyaAdapter({ seed, metadata }).slice()], `keys-${seed}.safetensors`)];
  const button = (name: string | RegExp) => page.getByRole("button", { name });

  beforeAll(async () => {
    studio = await openStudio();
    app = studio.app;
    page = studio.page;
    await studio.browser.context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await studio.browser.context.addInitScript(
      ([key, model]) => window.localStorage.getItem(key!) ?? window.localStorage.setItem(key!, model!),
      [CURRENT_MODEL_STORAGE_KEY, "sd15"],
    );
    await seed("keys", "warm-keys", "1.0", kohyaFile(11, { ss_tag_frequency: TAG_FREQUENCY }));
    await seed("keysNext", "warm-keys", "1.1", kohyaFile(12));
    await seed("pair", "tiny-pair", "1.0", peftAdapterFiles(13));
    await seed("sleepy", "sleepy-bass", "1.0", kohyaFile(14), false);
    const tunes = tunesAdapterFiles({ seed: 15 });
    const tunesFiles = [new File([tunes.config], "adapter_config.json"), new File([tunes.weights.slice()], "adapter_model.safetensors")];
    const waltz = await uploadAdapter({ name: "waltz-keys", version: "1", baseModelId: "tunes-s", weight: 0.8 }, tunesFiles, adminFetch(app));
    if (!waltz.adapter) throw new Error(`seeding waltz-keys failed: ${waltz.failure.message}`);
    seeded.waltz = waltz.adapter;
  });

  afterAll(async () => studio?.close());

  test("item 8: edits an adapter's metadata with validation, trigger words suggested from its training captions", async () => {
    await page.goto(`/adapters/${seeded.keys!.id}`);
    await button("Edit metadata").click();
    const dialog = page.getByRole("dialog");
    const suggestions = dialog.getByTestId("trigger-suggestions");
    await expect.poll(() => suggestions.locator(".n-tag").allInnerTexts()).toEqual(["warm keys 42", "rhodes 40", "crowd 5"]);
    await suggestions.getByText("warm keys").click();
    await expect.poll(() => suggestions.locator(".n-tag").allInnerTexts()).toEqual(["rhodes 40", "crowd 5"]);

    await dialog.getByLabel("Default weight").fill("3");
    await dialog.getByLabel("Default weight").blur();
    await dialog.getByLabel("Notes").fill("Best below 0.8 with a bass adapter.");
    await dialog.getByLabel("Ordinal").fill("2");
    await dialog.getByLabel("Ordinal").blur();
    await dialog.getByLabel("Activation text").fill("warm keys, rhodes");
    await screenshot(page, "registry-metadata-editor");
    const weight = Number(await dialog.getByLabel("Default weight").inputValue());
    expect(weight).toBeLessThanOrEqual(2);
    await dialog.getByLabel("Default weight").fill("0.6");
    await dialog.getByLabel("Default weight").blur();
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    await expect.poll(() => page.getByTestId("adapter-notes").innerText()).toBe("Best below 0.8 with a bass adapter.");
    const prompting = page.locator(".n-card", { hasText: "Prompting" });
    await expect.poll(() => prompting.innerText()).toMatch(/Ordinal\s*2/);
    await expect.poll(() => prompting.innerText()).toMatch(/Default weight\s*0\.6\b/);
    await expect.poll(() => prompting.innerText()).toContain("warm keys, rhodes");
    const { data } = await app.gql(`query($id: ID!) { adapter(id: $id) { triggers weight ordinal notes activationText } }`, { id: seeded.keys!.id });
    expect(data.adapter).toEqual({ triggers: ["warm keys"], weight: 0.6, ordinal: 2, notes: "Best below 0.8 with a bass adapter.", activationText: "warm keys, rhodes" });
  });

  test("item 9: downloads the adapter under its own name, copies its tag, and opens Generate and a new A/B test with it", async () => {
    await page.goto(`/adapters/${seeded.pair!.id}`);
    const download = page.getByRole("link", { name: "Download" });
    const href = await download.getAttribute("href");
    expect(href).toMatch(new RegExp(`^/adapters/${seeded.pair!.id}/download\\?`));
    const answer = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, disposition: res.headers.get("content-disposition"), type: res.headers.get("content-type") };
    }, href!);
    expect(answer).toEqual({ status: 200, disposition: "attachment; filename=tiny-pair-1.0.zip", type: "application/zip" });

    await page.goto(`/adapters/${seeded.keys!.id}`);
    await button(/^Copy <lora:warm-keys:/).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe("<lora:warm-keys:0.6>");

    await page.goto(`/adapters/${seeded.waltz!.id}`);
    await page.getByRole("link", { name: "Use in Generate" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("adapters")).toBe(`${seeded.waltz!.id}:0.8`);
    expect(new URL(page.url()).searchParams.get("baseModel")).toBe("tunes-s");
    await expect.poll(() => page.getByLabel("Prompt", { exact: true }).inputValue()).toContain("<lora:waltz-keys:0.8>");
    await screenshot(page, "registry-use-in-generate");

    await page.goto(`/adapters/${seeded.keys!.id}`);
    await button(/A\/B against/).click();
    await page.getByText("warm-keys 1.1", { exact: true }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/ab-tests/new");
    const query = new URL(page.url()).searchParams;
    expect([query.get("adapterA"), query.get("adapterB")]).toEqual([seeded.keys!.id, seeded.keysNext!.id]);

    await page.goto("/adapters?q=tiny-pair");
    await expect.poll(() => page.getByRole("link", { name: "Download tiny-pair 1.0" }).getAttribute("href")).toMatch(/\/download\?/);
    await button("Use tiny-pair 1.0 in Generate").click();
    await expect.poll(() => new URL(page.url()).searchParams.get("adapters")).toBe(`${seeded.pair!.id}:1`);
  });

  test("item 9: a finished job re-runs with the same seed, or one sample's", async () => {
    const prisma = app.deps.db.prisma;
    const melodies = [60, 62].map((pitch) => ({ notes: [{ pitch, start: 0, duration: 4 }], lengthSteps: 16, meter: { beatsPerBar: 4, stepsPerBeat: 4 } }));
    const job = await prisma.generationJob.create({
      data: {
        prompt: "a lazy shuffle, <lora:warm-keys:0.6>",
        baseModelId: "tunes-s",
        params: { durationSeconds: 2, samples: 2, temperature: 1, topK: null, seed: 500 },
        status: "DONE",
        adapters: { create: [{ adapterId: seeded.keys!.id, weight: 0.6, position: 0 }] },
        samples: {
          create: melodies.map((melody, index) => ({
            index,
            notes: melody,
            scores: scoreSample(melody, null) as object,
            storageKey: `samples/none-${index}`,
            durationSeconds: 2,
          })),
        },
      },
    });
    await page.goto(`/jobs?job=${job.id}`);
    await button("Re-run with the same seed").click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/generate");
    const query = new URL(page.url()).searchParams;
    expect(Object.fromEntries(query)).toEqual({ adapters: `${seeded.keys!.id}:0.6`, prompt: "a lazy shuffle", seed: "500", baseModel: "tunes-s" });

    await page.goto(`/jobs?job=${job.id}`);
    await button("Re-run one sample…").click();
    await page.getByText("Sample 2 (seed 501)").click();
    await expect.poll(() => new URL(page.url()).searchParams.get("seed")).toBe("501");
  });

  test("item 10: imports Civitai metadata from the Adapters page, shows it typed on the Overview, and warns of duplicates", async () => {
    const dir = join(app.importRoot, "civitai");
    await mkdir(dir, { recursive: true });
    const weights = kohyaAdapter({ seed: 31 });
    await writeFile(join(dir, "lofi-drums.safetensors"), weights);
    await writeFile(
      join(dir, "lofi-drums.civitai.info"),
      JSON.stringify({
        id: 2002, modelId: 1001, name: "v2", baseModel: "SD 1.5", trainedWords: ["lofi drums"], publishedAt: "2024-05-01T10:00:00Z",
        creator: { username: "beatmaker" }, model: { name: "Lofi Drums", type: "LORA", nsfw: false },
        stats: { downloadCount: 1234, favoriteCount: 56, commentCount: 7, rating: 4.8, ratingCount: 20 },
        files: [{ name: "lofi-drums.safetensors", primary: true, sizeKB: 3, hashes: {}, downloadUrl: "https://civitai.com/api/download/models/2002" }],
      }),
    );
    await page.goto("/adapters");
    await button("Import Civitai metadata").click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Directory").fill(dir);
    await dialog.getByRole("button", { name: "Dry run" }).click();
    await expect.poll(() => dialog.getByTestId("civitai-import-report").innerText()).toContain("Would add (1)");
    await dialog.getByText("Dry run: report what would happen").click();
    await dialog.getByRole("button", { name: "Import" }).click();
    await expect.poll(() => dialog.getByTestId("civitai-import-report").innerText()).toContain("Added (1)");
    await screenshot(page, "registry-civitai-import");
    await dialog.getByRole("link", { name: "Lofi Drums v2" }).click();

    const civitai = page.locator(".n-card", { hasText: "Open on Civitai" });
    await expect.poll(() => civitai.innerText()).toContain("beatmaker");
    const text = await civitai.innerText();
    for (const fact of ["Lofi Drums", "SD 1.5", "LORA", "Safe", "1,234 downloads · 56 favourites · 7 comments · rated 4.8 by 20", "1001 / 2002", "lofi-drums.civitai.info"]) {
      expect(text).toContain(fact);
    }
    expect(await civitai.getByRole("link", { name: "Open on Civitai" }).getAttribute("href")).toBe("https://civitai.com/models/1001?modelVersionId=2002");
    await expect.poll(() => page.getByTestId("duplicate-warning").count()).toBe(0);

    await seed("copy", "lofi-copy", "1", [new File([weights.slice()], "copy.safetensors")]);
    await page.reload();
    await expect.poll(() => page.getByTestId("duplicate-warning").innerText()).toContain("lofi-copy 1");
    await screenshot(page, "registry-civitai-overview");
  });

  test("item 16: 'Activation order' lists set ordinals first, then the rest by name", async () => {
    const versions = () => page.locator("tbody tr .adapter-version").allInnerTexts();
    await page.goto("/adapters?q=warm-keys");
    await expect.poll(versions).toEqual(["1.1", "1.0"]);
    await page.goto("/adapters?sort=ordinal_asc&q=warm-keys");
    await settled(page);
    await expect.poll(versions).toEqual(["1.0", "1.1"]);
    const { data } = await app.gql(`{ adapters(orderBy: ORDINAL_ASC, filter: { search: "warm-keys" }) { edges { node { version ordinal } } } }`);
    expect(data.adapters.edges.map((edge: any) => [edge.node.version, edge.node.ordinal])).toEqual([["1.0", 2], ["1.1", null]]);
  });

  test("item 17: the filters survive the detail page's back link and the sidebar's Adapters link", async () => {
    await page.goto("/adapters");
    await page.getByRole("checkbox", { name: "Active only" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("active")).toBe("1");
    await expect.poll(() => page.locator("tbody tr", { hasText: "sleepy-bass" }).count()).toBe(0);

    await page.locator("tbody tr", { hasText: "tiny-pair" }).getByRole("link", { name: "tiny-pair", exact: true }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/adapters/${seeded.pair!.id}`);
    await page.locator("a.back", { hasText: "Adapters" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("active")).toBe("1");
    expect(await page.getByRole("checkbox", { name: "Active only" }).getAttribute("aria-checked")).toBe("true");

    await page.goto("/dashboard");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Adapters" }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/adapters");
    expect(new URL(page.url()).searchParams.get("active")).toBe("1");
    expect(await page.getByRole("checkbox", { name: "Active only" }).getAttribute("aria-checked")).toBe("true");
  });
});
