import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../src/app.js";
import { loadConfig } from "../src/config/config.js";
import { createLogger } from "../src/config/logger.js";
import { kohyaAdapter, upload } from "./fixtures.js";
import { startTestApp, type TestApp } from "./harness.js";
import { PNG, Receiver, TXT2IMG_INFO } from "./delivery-receiver.js";
import { collect, untilListening } from "./subscriptions.js";

/*
 * Deliveries through the real server to real receivers on loopback: a server speaking SD.Next's txt2img API and
 * webhooks, started here, and commands run by the API. The API's own runner does the work, as in production.
 */

const CREATE = `mutation($input: CreateDeliveryInput!) { createDelivery(input: $input) {
  __typename ... on Error { message code } ... on BadUserInputError { fieldErrors { field message } }
  ... on CreateDeliverySuccess { delivery { id status mode target attempts } } } }`;

const DELIVERY = `query($id: ID!) { delivery(id: $id) {
  id mode target prompt status attempts maxAttempts error params result httpStatus responseBody exitCode stdout stderr
  loraTokens loraHashes images { index url width height sizeBytes sha256 } startedAt finishedAt nextAttemptAt
  attemptHistory { attempt at error } } }`;

const STATE = "id status attempts nextAttemptAt";

interface DeliveryState {
  id: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
}

const SHELL_PROMPT = "jazz; rm -rf / && $(whoami) | cat `id` > /tmp/owned {delivery_id} 'quoted' \"double\" \\ *";

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("deliveries", () => {
  const receiver = new Receiver();
  let app: TestApp;
  let port: number;
  let closedPort: number;
  let base: string;
  let jazz: { id: string; sha256: string };

  async function create(input: Record<string, unknown>) {
    const { data, errors } = await app.gql(CREATE, { input });
    expect(errors).toBeUndefined();
    return data.createDelivery;
  }

  async function delivery(id: string) {
    const { data, errors } = await app.gql(DELIVERY, { id });
    expect(errors).toBeUndefined();
    return data.delivery;
  }

  async function finished(id: string) {
    return waitFor(() => delivery(id), (d) => d.status === "SUCCEEDED" || d.status === "FAILED", `delivery ${id}`);
  }

  async function deliver(input: Record<string, unknown>) {
    const created = await create(input);
    expect(created.__typename, JSON.stringify(created)).toBe("CreateDeliverySuccess");
    return finished(created.delivery.id);
  }

  beforeAll(async () => {
    port = await receiver.listen();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    base = `http://127.0.0.1:${port}`;
    app = await startTestApp({
      env: {
        DELIVERY_ALLOWED_HOSTS: `127.0.0.1:${port}, 127.0.0.1:${closedPort}`,
        DELIVERY_COMMANDS: JSON.stringify([
          { name: "echo", command: [process.execPath, "-e", "process.stdout.write(process.argv[1])", "--", "{prompt}"], timeoutSeconds: 30 },
          { name: "fail", command: [process.execPath, "-e", "process.stderr.write('nope: ' + process.argv[1]); process.exit(3)", "--", "{negative_prompt}"] },
        ]),
      },
    });
    const { body } = await upload(app.url, [{ name: "jazz.safetensors", data: kohyaAdapter() }], { name: "jazz", version: "1.0" });
    jazz = body.data.uploadAdapter.adapter;
  });

  afterAll(async () => {
    await app?.close();
    await receiver.close();
  });

  it("delivers to SD.Next's txt2img API and stores, validates and serves the returned PNG", async () => {
    const prompt = "a cat in a hat, <lora:jazz:0.8>";
    const done = await deliver({
      mode: "SDNEXT", url: `${base}/sd`, prompt,
      params: { negativePrompt: "blurry", steps: 12, cfgScale: 6.5, sampler: "DPM++ 2M Karras", width: 256, height: 384, seed: 42 },
    });
    expect(done).toMatchObject({ status: "SUCCEEDED", attempts: 1, error: null, httpStatus: 200, loraTokens: ["<lora:jazz:0.8>"] });
    expect(done.loraHashes).toBe(`Lora hashes: "jazz: ${jazz.sha256.slice(0, 10).toUpperCase()}"`);
    const [request] = receiver.on("/sd/sdapi/v1/txt2img");
    expect(request!.body).toEqual({
      prompt, negative_prompt: "blurry", steps: 12, cfg_scale: 6.5, sampler_name: "DPM++ 2M Karras", width: 256, height: 384, seed: 42,
      batch_size: 1, n_iter: 1, send_images: true, save_images: false,
    });
    expect(request!.headers["idempotency-key"]).toBe(done.id);
    expect(done.images).toEqual([{ index: 0, url: expect.stringMatching(new RegExp(`^/deliveries/${done.id}/images/0\\.png\\?expires=`)), width: 1, height: 1, sizeBytes: PNG.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(done.result.info).toBe(TXT2IMG_INFO);

    const image = await fetch(`${app.url}${done.images[0].url}`);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await fetch(`${app.url}/deliveries/${done.id}/images/1.png`, { headers: app.headers })).status).toBe(404);

    const events = await app.deps.db.prisma.activityEvent.findMany({ where: { subjectId: done.id }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["DELIVERY_CREATED", "DELIVERY_SUCCEEDED"]);
  });

  it("fills SD.Next's defaults for parameters left out", async () => {
    const done = await deliver({ mode: "SDNEXT", url: `${base}/sd/sdapi/v1/txt2img`, prompt: "a dog" });
    expect(done.status).toBe("SUCCEEDED");
    expect(receiver.on("/sd/sdapi/v1/txt2img").at(-1)!.body).toMatchObject({ steps: 20, cfg_scale: 7, sampler_name: "Euler a", width: 512, height: 512, seed: -1, negative_prompt: "" });
  });

  it("fails at once, storing nothing, when SD.Next answers with something that is not a PNG", async () => {
    const done = await deliver({ mode: "SDNEXT", url: `${base}/sd-broken`, prompt: "a bird", maxAttempts: 3 });
    expect(done).toMatchObject({ status: "FAILED", attempts: 1, images: [] });
    expect(done.error).toBe("image 0 of the txt2img answer is not a PNG: the PNG signature is missing; set the backend's samples_format option to png");
    expect(existsSync(join(app.dataDir, "deliveries", done.id, "0.png"))).toBe(false);
    const events = await app.deps.db.prisma.activityEvent.findMany({ where: { subjectId: done.id } });
    expect(events.map((e) => e.type).sort()).toEqual(["DELIVERY_CREATED", "DELIVERY_FAILED"]);
  });

  it("posts JSON with the prompt, parameters and LoRA tokens to a webhook and keeps its answer", async () => {
    const done = await deliver({ mode: "HTTP", url: `${base}/hook`, prompt: "<lora:jazz:0.5> warm, <lora:elsewhere:1>", params: { steps: 30 } });
    expect(done).toMatchObject({ status: "SUCCEEDED", attempts: 1, httpStatus: 200, responseBody: '{"ok":true}' });
    const [hook] = receiver.on("/hook");
    expect(hook!.body).toEqual({
      deliveryId: done.id,
      prompt: "<lora:jazz:0.5> warm, <lora:elsewhere:1>",
      negativePrompt: null,
      params: { steps: 30 },
      loraTokens: ["<lora:jazz:0.5>", "<lora:elsewhere:1>"],
      adapters: [
        { name: "jazz", weight: 0.5, adapterId: jazz.id, version: "1.0", autoV2: jazz.sha256.slice(0, 10).toUpperCase() },
        { name: "elsewhere", weight: 1, adapterId: null, version: null, autoV2: null },
      ],
      loraHashes: `Lora hashes: "jazz: ${jazz.sha256.slice(0, 10).toUpperCase()}"`,
    });
    expect(hook!.headers["content-type"]).toBe("application/json");
  });

  it("retries a transient failure (503) with backoff and succeeds on the second attempt, every change pushed to subscribers", async () => {
    const ws = app.wsClient({ lazy: false });
    try {
      const updates = collect<DeliveryState>(ws, `subscription { deliveryUpdates { ${STATE} } }`);
      // deliveries refused with 404 until one's change arrives
      await untilListening(() => create({ mode: "HTTP", url: `${base}/warm-up`, prompt: "warm up" }), () => updates.items.length > 0);
      const created = await create({ mode: "HTTP", url: `${base}/flaky`, prompt: "again" });
      const id: string = created.delivery.id;
      const status = await collect<DeliveryState>(ws, `subscription ($id: ID!) { deliveryStatus(id: $id) { ${STATE} } }`, { id }).done;
      const done = await delivery(id);

      expect(done).toMatchObject({ status: "SUCCEEDED", attempts: 2, httpStatus: 200, responseBody: '{"ok":"second time"}', error: null });
      expect(receiver.on("/flaky")).toHaveLength(2);
      expect(done.result.history).toEqual([{ attempt: 1, at: expect.any(String), error: `127.0.0.1:${port} answered HTTP 503` }]);
      expect(done.attemptHistory).toEqual([{ attempt: 1, at: done.result.history[0].at, error: `127.0.0.1:${port} answered HTTP 503` }]);

      // the status stream ends with the delivery, never repeats a state, and shows the wait for the retry
      expect(status.at(-1)).toMatchObject({ status: "SUCCEEDED", attempts: 2, nextAttemptAt: null });
      const states = status.map((state) => `${state.status}/${state.attempts}`);
      expect(states.filter((state, i) => state === states[i - 1])).toEqual([]);
      const ofThis = updates.items.filter((update) => update.id === id);
      expect(ofThis.find((update) => update.status === "PENDING" && update.attempts === 1)?.nextAttemptAt).toEqual(expect.any(String));
      expect(ofThis.at(-1)).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
      updates.dispose();

      const missing = collect(ws, `subscription { deliveryStatus(id: "00000000-0000-0000-0000-000000000000") { ${STATE} } }`);
      await expect(missing.done).rejects.toMatchObject({ errors: [{ message: "delivery '00000000-0000-0000-0000-000000000000' does not exist", extensions: { code: "NOT_FOUND" } }] });
    } finally {
      await ws.dispose();
    }
  });

  it("gives up after maxAttempts when the receiver refuses connections", async () => {
    const done = await deliver({ mode: "HTTP", url: `http://127.0.0.1:${closedPort}/hook`, prompt: "anyone?", maxAttempts: 2 });
    expect(done).toMatchObject({ status: "FAILED", attempts: 2, maxAttempts: 2 });
    expect(done.error).toBe(`could not reach 127.0.0.1:${closedPort}: ECONNREFUSED (after 2 of 2 attempts)`);
    expect(done.result.history).toHaveLength(2);
  });

  it("fails a permanent error (400) at once and keeps the answer", async () => {
    const done = await deliver({ mode: "HTTP", url: `${base}/reject`, prompt: "no", maxAttempts: 5 });
    expect(done).toMatchObject({ status: "FAILED", attempts: 1, httpStatus: 400, responseBody: '{"detail":"prompt refused"}' });
    expect(done.error).toBe(`127.0.0.1:${port} answered HTTP 400`);
    expect(receiver.on("/reject")).toHaveLength(1);
  });

  it("runs a command template without a shell: metacharacters in the prompt stay literal", async () => {
    const done = await deliver({ mode: "CLI", command: "echo", prompt: SHELL_PROMPT });
    expect(done).toMatchObject({ status: "SUCCEEDED", attempts: 1, exitCode: 0, stdout: SHELL_PROMPT, stderr: "", target: "echo" });
    expect(existsSync("/tmp/owned")).toBe(false);
  });

  it("fails a command that exits non-zero at once, keeping its exit code and stderr", async () => {
    const done = await deliver({ mode: "CLI", command: "fail", prompt: "x", params: { negativePrompt: "$(id)" }, maxAttempts: 3 });
    expect(done).toMatchObject({ status: "FAILED", attempts: 1, exitCode: 3, stderr: "nope: $(id)", error: "command 'fail' exited with code 3" });
  });

  it("takes over a delivery a crashed process left RUNNING, once past its deadline, and leaves a recent one alone", async () => {
    const [stale, recent] = [await deliver({ mode: "HTTP", url: `${base}/hook`, prompt: "orphan" }), await deliver({ mode: "HTTP", url: `${base}/hook`, prompt: "busy" })];
    const prisma = app.deps.db.prisma;
    await prisma.delivery.update({ where: { id: stale.id }, data: { status: "RUNNING", startedAt: new Date(Date.now() - 3600_000) } });
    await prisma.delivery.update({ where: { id: recent.id }, data: { status: "RUNNING", startedAt: new Date() } });
    const hooksBefore = receiver.on("/hook").length;

    await deliver({ mode: "HTTP", url: `${base}/hook`, prompt: "wake up" });
    const retaken = await finished(stale.id);
    expect(retaken).toMatchObject({ status: "SUCCEEDED", attempts: 1 });
    expect(receiver.on("/hook").slice(hooksBefore).map((r) => r.body.prompt).sort()).toEqual(["orphan", "wake up"]);
    expect((await delivery(recent.id)).status).toBe("RUNNING");
    await prisma.delivery.update({ where: { id: recent.id }, data: { status: "SUCCEEDED" } });
  });

  it.each([
    ["a host outside the allow-list", { mode: "HTTP", url: "http://example.com/hook" }, "url", "host example.com is not in DELIVERY_ALLOWED_HOSTS"],
    ["another port of an allowed host", { mode: "SDNEXT", url: "http://127.0.0.1:1/" }, "url", "host 127.0.0.1:1 is not in DELIVERY_ALLOWED_HOSTS"],
    ["localhost by another name", { mode: "HTTP", url: "http://localhost:PORT/hook" }, "url", "host localhost:PORT is not in DELIVERY_ALLOWED_HOSTS"],
    ["a URL that is not one", { mode: "HTTP", url: "not a url" }, "url", "is not an absolute URL"],
    ["another scheme", { mode: "HTTP", url: "file:///etc/passwd" }, "url", "only http and https URLs"],
    ["credentials in the URL", { mode: "HTTP", url: "http://user:secret@127.0.0.1:PORT/hook" }, "url", "credentials in the URL are not accepted"],
    ["an unknown command template", { mode: "CLI", command: "rm" }, "command", "unknown command template 'rm'; configured: echo, fail"],
    ["a CLI delivery with a URL", { mode: "CLI", command: "echo", url: "http://127.0.0.1:PORT/hook" }, "url", "leave url out"],
    ["an HTTP delivery without a URL", { mode: "HTTP" }, "url", "HTTP deliveries need a url"],
    ["an oversize prompt", { mode: "CLI", command: "echo", prompt: "x".repeat(10_001) }, "prompt", "at most 10000 characters"],
    ["an empty prompt", { mode: "CLI", command: "echo", prompt: "  " }, "prompt", "must not be empty"],
    ["a weight out of range", { mode: "CLI", command: "echo", prompt: "a <lora:jazz:2.5>" }, "prompt", "<lora:jazz:2.5> at 2–17: weight 2.5 is outside 0.0–2.0"],
    ["a non-finite weight", { mode: "CLI", command: "echo", prompt: "<lora:jazz:nan>" }, "prompt", "is not a finite number"],
    ["bad generation parameters", { mode: "SDNEXT", url: "http://127.0.0.1:PORT/sd", params: { width: 500 } }, "params.width", "multiple of 8"],
    ["too many attempts", { mode: "HTTP", url: "http://127.0.0.1:PORT/hook", maxAttempts: 11 }, "maxAttempts", "1–10"],
  ])("refuses %s with BAD_USER_INPUT and stores nothing", async (_what, input, field, message) => {
    const before = await app.deps.db.prisma.delivery.count();
    const eventsBefore = await app.deps.db.prisma.activityEvent.count();
    const withPort = JSON.parse(JSON.stringify({ prompt: "a prompt", ...input }).replaceAll("PORT", String(port)));
    const result = await create(withPort);
    expect(result.__typename).toBe("BadUserInputError");
    expect(result.code).toBe("BAD_USER_INPUT");
    const fieldError = result.fieldErrors.find((e: any) => e.field === field);
    expect(fieldError?.message, JSON.stringify(result.fieldErrors)).toContain(message.replaceAll("PORT", String(port)));
    expect(await app.deps.db.prisma.delivery.count()).toBe(before);
    expect(await app.deps.db.prisma.activityEvent.count()).toBe(eventsBefore);
  });

  it("lists deliveries newest first, page by page", async () => {
    const all = await app.deps.db.prisma.delivery.findMany({ orderBy: [{ createdAt: "desc" }, { id: "asc" }], select: { id: true } });
    const page = async (after?: string) =>
      (await app.gql(`query($after: String) { deliveries(first: 4, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`, { after })).data.deliveries;
    const first = await page();
    const second = await page(first.pageInfo.endCursor);
    expect(first.totalCount).toBe(all.length);
    expect([...first.edges, ...second.edges].map((e: any) => e.node.id)).toEqual(all.slice(0, 8).map((d) => d.id));
    expect((await app.gql(`{ delivery(id: "missing") { id } }`)).data.delivery).toBeNull();
    const failed = (await app.gql(`{ deliveries(status: FAILED) { edges { node { status } } } }`)).data.deliveries.edges;
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((e: any) => e.node.status === "FAILED")).toBe(true);
  });

  it("names the command templates and allowed hosts for the dashboard", async () => {
    const { data } = await app.gql(`{ deliveryCommandTemplates { name timeoutSeconds } deliveryAllowedHosts }`);
    expect(data).toEqual({
      deliveryCommandTemplates: [{ name: "echo", timeoutSeconds: 30 }, { name: "fail", timeoutSeconds: 60 }],
      deliveryAllowedHosts: [`127.0.0.1:${port}`, `127.0.0.1:${closedPort}`],
    });
  });
});

describe("deliveries across an API restart", () => {
  const receiver = new Receiver();
  let dataDir: string;

  afterAll(async () => {
    await receiver.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("puts an attempt interrupted by a shutdown back and finishes it after the restart", async () => {
    const port = await receiver.listen();
    dataDir = await mkdtemp(join(tmpdir(), "lora-studio-deliveries-"));
    const config = loadConfig({
      DATA_DIR: dataDir, SIDECAR: "off", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", WORKER_THREADS: "1",
      DELIVERY_ALLOWED_HOSTS: `127.0.0.1:${port}`,
    });
    const gql = async (url: string, query: string, variables: Record<string, unknown>) =>
      (await (await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) })).json()) as any;

    const first = await startApp(config, createLogger(config));
    const created = (await gql(first.http.url, CREATE, { input: { mode: "HTTP", url: `http://127.0.0.1:${port}/slow`, prompt: "survive" } })).data.createDelivery;
    expect(created.__typename).toBe("CreateDeliverySuccess");
    await waitFor(async () => receiver.on("/slow").length, (n) => n === 1, "the first attempt to arrive");
    expect((await gql(first.http.url, DELIVERY, { id: created.delivery.id })).data.delivery).toMatchObject({ status: "RUNNING", attempts: 1 });
    await first.close();

    receiver.hang = false;
    const second = await startApp(config, createLogger(config));
    try {
      const done = await waitFor(
        async () => (await gql(second.http.url, DELIVERY, { id: created.delivery.id })).data.delivery,
        (d) => d.status === "SUCCEEDED",
        "the delivery to finish after the restart",
      );
      expect(done).toMatchObject({ attempts: 1, responseBody: '{"ok":"after restart"}' });
      expect(receiver.on("/slow")).toHaveLength(2);
    } finally {
      await second.close();
    }
  });
});
