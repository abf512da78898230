import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { TestApp } from "../../server/test/harness";
import { chromiumPath, menuOptions, openStudio, screenshot as saveScreenshot, type Studio } from "./browser";

/*
 * Experiments and runs against the real server with its embedded sidecar, so that runs really train
 * (the built-in trainer on tunes-s, on the CPU). The runs are kept short: the experiment stops at 60
 * steps; the one run that must stay live long enough to watch is cancelled.
 */

const EXPERIMENT = "waltz-lora";
/** Long enough to watch the terminal and the chart move several times before it is cancelled. */
const LONG_RUN = { maxSteps: 100_000, epochs: 1000 };
const LIVE_TIMEOUT = { timeout: 60_000, interval: 250 };

interface RunState {
  id: string;
  name: string;
  status: string;
  configOverride: Record<string, unknown> | null;
  logUrl: string;
}

describe.skipIf(!chromiumPath)("experiments dashboard in Chromium", () => {
  let app: TestApp;
  let studio: Studio;
  let page: Page;
  let experimentId: string;

  const screenshot = (name: string) => saveScreenshot(page, `experiments-${name}`);
  const runRow = (name: string) => page.locator(`tr[data-run-name="${name}"]`);
  const terminalText = () => page.locator("[data-testid=run-terminal] .xterm-rows").innerText();
  const chartPoints = async () => Number((await page.locator("[data-testid=run-metrics] .metric-chart").getAttribute("data-points")) ?? 0);
  const notification = (title: string) => page.locator(".n-notification", { hasText: title });

  async function runs(): Promise<RunState[]> {
    const { data } = await app.gql<{ experiment: { runs: { edges: { node: RunState }[] } } }>(
      "query ($id: ID!) { experiment(id: $id) { runs { edges { node { id name status configOverride logUrl } } } } }",
      { id: experimentId },
    );
    return data!.experiment.runs.edges.map((edge) => edge.node);
  }

  const runNamed = async (name: string) => (await runs()).find((run) => run.name === name);

  const selectOption = (text: string) => menuOptions(page).filter({ hasText: text }).first();

  /** `filter`: typed into a filterable select first, for an option a long menu may not have rendered yet. */
  async function choose(select: Locator, option: string, filter = false): Promise<void> {
    await select.click();
    if (filter) await page.keyboard.type(option);
    await selectOption(option).click();
  }

  /** A training parameter's input; in the Start Run dialog, the dialog's own. */
  const configInput = (key: string) => page.locator(`[data-config-key="${key}"]`).last().locator("input");

  /** Whole-number inputs take their value on blur, as when the user moves on to the next field. */
  async function setConfig(key: string, value: string): Promise<void> {
    await configInput(key).fill(value);
    await configInput(key).blur();
  }

  async function selectRun(name: string): Promise<void> {
    await runRow(name).locator("td").nth(1).click();
    await expect.poll(() => page.locator(".run-panel .run-title").textContent()).toBe(name);
  }

  async function startRun(override: Record<string, number>): Promise<void> {
    await page.getByRole("button", { name: "Start Run" }).click();
    const dialog = page.getByRole("dialog");
    await expect.poll(() => dialog.getByText("Start a run").isVisible()).toBe(true);
    if (Object.keys(override).length > 0) {
      await dialog.getByText("Override Configuration").click();
      for (const [key, value] of Object.entries(override)) await setConfig(key, String(value));
      await expect.poll(() => dialog.getByTestId("override-summary").textContent()).toBe(`${Object.keys(override).length} parameters overridden`);
    }
    await dialog.getByRole("button", { name: "Start run" }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
  }

  beforeAll(async () => {
    studio = await openStudio({ SIDECAR: "embedded" });
    app = studio.app;
    page = studio.page;
  });

  afterAll(async () => {
    await studio?.close();
  });

  test("creates an experiment through the form, generating its dataset on the way", async () => {
    await page.goto("/experiments");
    await expect.poll(() => page.getByText("No experiments yet.").isVisible()).toBe(true);
    await page.getByRole("button", { name: "New experiment" }).click();
    await page.waitForURL("**/experiments/new");

    await page.getByLabel("Experiment name").fill(EXPERIMENT);
    const baseModelSelect = page.getByTestId("base-model-select");
    const baseModelNote = () => page.getByTestId("base-model-item").locator(".n-form-item-feedback").textContent();
    await baseModelSelect.click();
    // the models a trainer trains come first; the others say that none does
    await expect.poll(() => page.locator(".n-base-select-group-header").first().textContent()).toBe("Trainable");
    expect(await menuOptions(page).first().textContent()).toMatch(/^Tunes [SM] \(built-in\)$/);
    await page.keyboard.press("Escape");
    await choose(baseModelSelect, "Stable Diffusion 1.5", true);
    await expect.poll(() => baseModelSelect.textContent()).toBe("Stable Diffusion 1.5 · no trainer configured");
    await expect.poll(baseModelNote).toContain("No trainer is configured for Stable Diffusion 1.5, so runs on it cannot start");
    await page.getByText("Training Configuration").click();
    // no trainer yet, so nothing says which parameters it will read
    await expect.poll(() => page.locator('[data-config-key="clipSkip"]').count()).toBe(1);
    await screenshot("00-no-trainer");

    await choose(baseModelSelect, "Tunes S (built-in)", true);
    await expect.poll(baseModelNote).toBe("Trained by the built-in trainer.");
    // the built-in trainer refuses CLIP skip, so the form does not offer it
    await expect.poll(() => page.locator('[data-config-key="clipSkip"]').count()).toBe(0);
    expect(await page.getByTestId("builtin-trainer-note").isVisible()).toBe(true);

    await expect.poll(() => page.getByText("No datasets yet.").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Generate…" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Dataset name").fill("waltzes");
    await dialog.getByTestId("dataset-style-select").click();
    // each style with its meter, mode and a prompt of the kind its examples carry
    await expect.poll(() => selectOption("Dorian jig").textContent()).toMatch(/^Dorian jig6\/8 · dorian“an? [^”]+ in E dorian”$/);
    await screenshot("01-generate-dataset");
    await selectOption("Major waltz").click();
    await expect.poll(() => dialog.getByTestId("dataset-style-select").textContent()).toContain("Major waltz3/4 · major");
    await dialog.getByLabel("Examples").fill("64");
    await dialog.getByRole("button", { name: "Generate" }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => page.getByTestId("dataset-select").textContent()).toContain("waltzes · 64 items");

    expect(await configInput("rank").inputValue()).toBe("8");
    expect(await configInput("maxSteps").inputValue()).toBe("");
    await setConfig("maxSteps", "60");
    await setConfig("evalEvery", "20");
    // the built-in trainer knows three schedulers: the API says so next to the field
    await setConfig("scheduler", "step");
    await page.getByRole("button", { name: "Create experiment" }).click();
    await expect.poll(() => page.locator('[data-config-key="scheduler"] .n-form-item-feedback').textContent()).toMatch(/^scheduler .*"cosine"/);
    expect(page.url()).toContain("/experiments/new");
    await screenshot("02-create-field-error");

    await setConfig("scheduler", "cosine");
    await page.getByRole("button", { name: "Create experiment" }).click();
    await page.waitForURL(/\/experiments\/[\w-]+\?tab=runs$/);
    experimentId = new URL(page.url()).pathname.split("/").pop()!;
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(EXPERIMENT);
    expect(await page.getByTestId("no-run-selected").textContent()).toBe("Select a run to view logs");
    await screenshot("03-created");
  });

  test("streams a live run's log and loss, and shows a queued run as an empty terminal", async () => {
    await startRun(LONG_RUN);
    await expect.poll(async () => (await runNamed("run-1"))?.status, LIVE_TIMEOUT).toBe("RUNNING");
    expect((await runNamed("run-1"))?.configOverride).toEqual(LONG_RUN);
    await expect.poll(() => page.locator(".run-panel .run-title").textContent()).toBe("run-1");
    await expect.poll(() => runRow("run-1").getByText("Running").isVisible()).toBe(true);

    await expect.poll(terminalText, LIVE_TIMEOUT).toMatch(/epoch \d+\/\d+ /);
    const firstPoints = await (async () => {
      await expect.poll(chartPoints, LIVE_TIMEOUT).toBeGreaterThan(0);
      return chartPoints();
    })();
    await expect.poll(chartPoints, LIVE_TIMEOUT).toBeGreaterThan(firstPoints);
    const secondPoints = await chartPoints();
    await expect.poll(chartPoints, LIVE_TIMEOUT).toBeGreaterThan(secondPoints);
    await screenshot("04-live-run");

    // one sidecar slot: a second run waits in the queue, with nothing to show yet
    await startRun({});
    await expect.poll(() => page.locator(".run-panel .run-title").textContent()).toBe("run-2");
    expect((await runNamed("run-2"))?.status).toBe("PENDING");
    expect((await runNamed("run-2"))?.configOverride).toBeNull();
    await expect.poll(() => page.getByText("Waiting for the trainer's first output…").isVisible()).toBe(true);
    expect((await terminalText()).trim()).toBe("");
    await screenshot("05-queued-run");

    await page.locator(".run-panel").getByRole("button", { name: "Cancel run" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel run" }).click();
    await expect.poll(() => runRow("run-2").getByText("Cancelled").isVisible(), LIVE_TIMEOUT).toBe(true);
    await expect.poll(() => page.getByTestId("no-metrics").textContent()).toContain("This run recorded no metrics.");
  });

  test("switching runs clears the terminal and loads the other run's history", async () => {
    await selectRun("run-1");
    await expect.poll(terminalText, LIVE_TIMEOUT).toMatch(/epoch \d+\/\d+ /);
    await expect.poll(chartPoints, LIVE_TIMEOUT).toBeGreaterThan(0);

    await page.locator(".run-panel").getByRole("button", { name: "Cancel run" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel run" }).click();
    await expect.poll(() => runRow("run-1").getByText("Cancelled").isVisible(), LIVE_TIMEOUT).toBe(true);
    await expect.poll(() => page.locator("[data-testid=run-metrics] .note").textContent(), LIVE_TIMEOUT).toMatch(/^Cancelled at step \d+$/);
    await screenshot("06-cancelled-run");

    await startRun({});
    await expect.poll(async () => (await runNamed("run-3"))?.status, LIVE_TIMEOUT).toBe("COMPLETED");
    await expect.poll(() => runRow("run-3").getByText("Completed").isVisible(), LIVE_TIMEOUT).toBe(true);
    await expect.poll(terminalText, LIVE_TIMEOUT).toContain("saved PEFT adapter");
    const log = await terminalText();
    // carriage returns redraw the progress bar in place instead of stacking its frames
    expect(log.match(/epoch 1\/1 \[/g)).toHaveLength(1);
    expect(log.match(/saved PEFT adapter/g)).toHaveLength(1);
    await expect.poll(() => runRow("run-3").getByRole("link", { name: `${EXPERIMENT}-run-3` }).isVisible()).toBe(true);

    const run3 = (await runNamed("run-3"))!;
    const download = page.locator(".run-panel").getByRole("link", { name: "Download log" });
    // signed when each was asked for: the same path, each with its own expiry and signature
    const withoutSignature = (url: string | null) => url?.split("?")[0];
    expect(withoutSignature(await download.getAttribute("href"))).toBe(withoutSignature(run3.logUrl));
    const downloaded = await (await fetch(new URL(run3.logUrl, app.url))).text();
    // the raw bytes, ANSI colours and all
    expect(downloaded).toMatch(/\u001b\[32msaved\u001b\[0m PEFT adapter/);
    await screenshot("07-completed-run");

    await selectRun("run-1");
    await expect.poll(terminalText).not.toContain("saved PEFT adapter");
    await expect.poll(terminalText).toMatch(/epoch \d+\/\d+ /);
  });

  test("charts another metric on its own axis, zooms into steps and back", async () => {
    await selectRun("run-3");
    await expect.poll(chartPoints, LIVE_TIMEOUT).toBe(60);
    await choose(page.getByTestId("metric-select"), "Learning rate");
    await expect.poll(() => page.locator("[data-testid=run-metrics] canvas").getAttribute("aria-label")).toBe("Learning rate against step");
    expect(await page.locator("[data-testid=run-metrics]").getByRole("switch", { name: "Log scale" }).getAttribute("aria-checked")).toBe("true");

    await choose(page.getByTestId("metric-select"), "Training loss");
    await expect.poll(() => page.locator("[data-testid=run-metrics] canvas").getAttribute("aria-label")).toBe("Training loss against step");
    const canvas = page.locator("[data-testid=run-metrics] canvas");
    // the chart sits below the fold at 1440 × 900 unless opening the metric menu scrolled the page (it does when the menu opens downwards)
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    const reset = page.getByRole("button", { name: /^Reset zoom \(steps \d+–\d+\)$/ });
    await expect.poll(() => reset.isVisible()).toBe(true);
    await expect.poll(chartPoints).toBeLessThan(60);
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2);
    await screenshot("08-zoomed-chart");
    await reset.click();
    await expect.poll(() => reset.isVisible()).toBe(false);
    await expect.poll(chartPoints).toBe(60);
    // the chart library reports a reset as one more zoom: it must not zoom back in once that settles
    await page.waitForTimeout(1000);
    expect(await reset.isVisible()).toBe(false);
    expect(await chartPoints()).toBe(60);
  });

  test("compares two runs, each curve named with its final value", async () => {
    await page.locator(".n-tabs-tab", { hasText: "Compare" }).click();
    await page.getByTestId("compare-select").click();
    for (const name of ["run-1", "run-3"]) await menuOptions(page).filter({ hasText: name }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("compare")?.split(",").length).toBe(2);
    const chart = page.locator("[data-testid=compare-chart] .metric-chart");
    await expect.poll(async () => Number(await chart.getAttribute("data-points")), LIVE_TIMEOUT).toBeGreaterThan(60);
    await page.keyboard.press("Escape");
    await expect.poll(() => chart.getAttribute("data-legend")).toMatch(/^run-1 · [\d.e-]+ \| run-3 · [\d.e-]+$/);
    await screenshot("09-compare");
  });

  test("edits the configuration: Cancel reverts, Save Changes stores it", async () => {
    await page.locator(".n-tabs-tab", { hasText: "Config" }).click();
    await expect.poll(() => configInput("learningRate").inputValue()).toBe("0.003");
    expect(await configInput("learningRate").isDisabled()).toBe(true);

    await page.getByRole("button", { name: "Edit", exact: true }).click();
    await setConfig("learningRate", "0.01");
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    await expect.poll(() => configInput("learningRate").inputValue()).toBe("0.003");
    expect(await configInput("learningRate").isDisabled()).toBe(true);

    await page.getByRole("button", { name: "Edit", exact: true }).click();
    await setConfig("learningRate", "0.005");
    await page.getByRole("button", { name: "Save Changes" }).click();
    await expect.poll(() => notification("Configuration saved").isVisible()).toBe(true);
    await expect.poll(() => configInput("learningRate").isDisabled()).toBe(true);
    expect(await configInput("learningRate").inputValue()).toBe("0.005");
    const { data } = await app.gql<{ experiment: { config: Record<string, unknown> } }>("query ($id: ID!) { experiment(id: $id) { config } }", { id: experimentId });
    expect(data!.experiment.config).toMatchObject({ learningRate: 0.005, maxSteps: 60, evalEvery: 20 });
    await screenshot("10-config-saved");
  });

  test("deletes several finished runs after one confirmation", async () => {
    await page.locator(".n-tabs-tab", { hasText: "Runs" }).click();
    for (const name of ["run-1", "run-2"]) await runRow(name).locator(".n-checkbox").click();
    await page.getByRole("button", { name: "Delete Selected (2)" }).click();
    const dialog = page.getByRole("dialog");
    await expect.poll(() => dialog.getByText("Delete 2 runs?").isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain("cannot be undone");
    await screenshot("11-delete-confirmation");
    await dialog.getByRole("button", { name: "Delete 2 runs" }).click();

    await expect.poll(() => notification("Deleted 2 runs").isVisible()).toBe(true);
    await expect.poll(() => runRow("run-1").count()).toBe(0);
    expect(await runRow("run-2").count()).toBe(0);
    expect((await runs()).map((run) => run.name)).toEqual(["run-3"]);
    await screenshot("12-deleted-runs");

    await page.locator(".n-tabs-tab", { hasText: "Overview" }).click();
    await expect.poll(() => page.getByRole("link", { name: "run-3" }).isVisible()).toBe(true);
    await screenshot("13-overview");
  });

  test("archives the experiment from the list and brings it back", async () => {
    await page.goto("/experiments");
    const row = page.locator("tbody tr", { hasText: EXPERIMENT });
    await expect.poll(() => row.getByText("Completed").isVisible()).toBe(true);
    // run-3 is left of three runs
    expect(await row.locator("td").nth(5).textContent()).toBe("1");
    await page.getByRole("button", { name: `Archive ${EXPERIMENT}` }).click();
    const dialog = page.getByRole("dialog");
    await expect.poll(() => dialog.getByText(`Archive ${EXPERIMENT}?`).isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain("unarchive it later");
    await screenshot("14-archive-confirmation");
    await dialog.getByRole("button", { name: "Archive" }).click();
    await expect.poll(() => notification(`Archived ${EXPERIMENT}`).isVisible()).toBe(true);
    await expect.poll(() => row.count()).toBe(0);

    await page.getByRole("switch", { name: "Show archived" }).click();
    await expect.poll(() => row.getByText("Archived").isVisible()).toBe(true);
    expect(await row.getAttribute("class")).toContain("archived-row");
    await screenshot("15-archived-shown");
    await page.getByRole("button", { name: `Unarchive ${EXPERIMENT}` }).click();
    await expect.poll(() => row.getByText("Draft").isVisible()).toBe(true);
  });

  test("previews a dataset's first items", async () => {
    await page.goto("/datasets");
    const row = page.locator("tbody tr", { hasText: "waltzes" });
    await expect.poll(() => row.getByText("major-waltz").isVisible()).toBe(true);
    await row.locator(".n-data-table-expand-trigger").click();
    const preview = page.getByTestId("dataset-preview");
    await expect.poll(() => preview.locator("li").count()).toBe(5);
    expect(await preview.locator("svg.piano-roll").count()).toBe(5);
    await screenshot("16-dataset-preview");
  });

  test("imports a JSONL file as a dataset", async () => {
    const line = (prompt: string, pitch: number) =>
      JSON.stringify({ prompt, notes: [{ pitch, start: 0, duration: 4 }, { pitch: pitch + 4, start: 4, duration: 12 }], lengthSteps: 16 });
    await page.getByRole("button", { name: "Import" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("JSONL").click();
    await dialog.locator("input[type=file]").setInputFiles({
      name: "two-tunes.jsonl",
      mimeType: "application/jsonl",
      buffer: Buffer.from(`${line("a calm tune in C major", 60)}\n${line("a bright tune in G major", 67)}\n`),
    });
    await expect.poll(() => dialog.getByLabel("Dataset name").inputValue()).toBe("two-tunes");
    await screenshot("17-import-dataset");
    await dialog.getByRole("button", { name: "Import", exact: true }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    const row = page.locator("tbody tr", { hasText: "two-tunes" });
    await expect.poll(() => row.getByText("Imported").isVisible()).toBe(true);
    expect(await row.locator("td").nth(4).textContent()).toBe("2");
  });

  test("an experiment on a base model no trainer trains says why its runs cannot start", async () => {
    const { data } = await app.gql<{ createExperiment: { experiment: { id: string } } }>(
      'mutation { createExperiment(input: { name: "portraits", baseModelId: "sd15" }) { ... on CreateExperimentSuccess { experiment { id } } } }',
    );
    await page.goto(`/experiments/${data!.createExperiment.experiment.id}?tab=runs`);
    await expect.poll(() => page.getByTestId("start-blocked").textContent()).toBe(
      "No trainer is configured for Stable Diffusion 1.5, so runs on it cannot start until an operator registers one (TRAINERS).",
    );
    expect(await page.getByRole("button", { name: "Start Run" }).isDisabled()).toBe(true);
    await screenshot("18-no-trainer-runs");
  });
});
