import { readdir } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kohyaAdapter } from "../fixtures.js";
import { startTestApp, type TestApp } from "../harness.js";
import { expectLive } from "./liveness.js";

/*
 * Item 5: a chunked upload without Content-Length streams to disk as it arrives, the limit enforced on the bytes
 * received. Four at once must not grow the API's memory by more than a few MB each, whether refused or accepted.
 */

const MB = 1024 * 1024;
const BOUNDARY = "----lora-studio-test-boundary";
const UPLOAD = `mutation($files: [File!]!, $input: UploadAdapterInput!) { uploadAdapter(files: $files, input: $input) { __typename ... on Error { message } } }`;

/** A multipart upload body produced piece by piece: the operations, then `fileBytes` of a file, 1 MB at a time. */
async function* multipartBody(name: string, head: Uint8Array, fileBytes: number): AsyncGenerator<Uint8Array> {
  const operations = JSON.stringify({ query: UPLOAD, variables: { files: [null], input: { name, version: "1", baseModelId: "sd15" } } });
  const part = (headers: string, content: string) => `--${BOUNDARY}\r\n${headers}\r\n\r\n${content}\r\n`;
  yield Buffer.from(part('Content-Disposition: form-data; name="operations"', operations) + part('Content-Disposition: form-data; name="map"', '{"0":["variables.files.0"]}'));
  yield Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="0"; filename="${name}.safetensors"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  yield head;
  const filler = Buffer.alloc(MB);
  for (let sent = head.length; sent < fileBytes; sent += MB) yield filler.subarray(0, Math.min(MB, fileBytes - sent));
  yield Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
}

/** POSTs a body chunked (no Content-Length); resolves with the status and body of the answer, however early it comes. */
function chunkedPost(app: TestApp, body: AsyncIterable<Uint8Array>, contentType = `multipart/form-data; boundary=${BOUNDARY}`): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${app.url}/graphql`, {
      method: "POST",
      headers: { ...app.headers, "content-type": contentType, "transfer-encoding": "chunked" },
    });
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk)).on("end", () => resolve({ status: res.statusCode!, text }));
    });
    req.on("error", reject);
    void (async () => {
      for await (const chunk of body) {
        if (req.destroyed) return;
        if (!req.write(chunk)) await new Promise((drained) => req.once("drain", drained).once("close", drained));
      }
      req.end();
    })().catch(() => undefined);
  });
}

describe("streamed uploads", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { MAX_UPLOAD_MB: "64" } });
  });
  afterAll(async () => app?.close());

  it("refuses four chunked uploads over MAX_UPLOAD_MB while they stream, keeping memory flat and storing nothing", async () => {
    const before = process.memoryUsage().rss;
    const uploads = Array.from({ length: 4 }, (_, i) => chunkedPost(app, multipartBody(`huge-${i}`, kohyaAdapter(), 400 * MB)));
    const answers = await Promise.all(uploads);
    for (const answer of answers) {
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.text)).toMatchObject({ errors: [{ extensions: { code: "REQUEST_ENTITY_TOO_LARGE" }, message: expect.stringContaining("MAX_UPLOAD_MB") }] });
    }
    // each upload was cut off near 64 MB, and none of it was held in memory
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * MB);
    expect(await app.deps.db.prisma.adapter.count()).toBe(0);
    await expectLive(app);
  });

  it("accepts a chunked upload under the limit without holding it in memory, and leaves no spooled file behind", async () => {
    const file = kohyaAdapter({ rank: 64, width: (48 * MB) / 4 / 64 / 2 - 128 });
    expect(file.length).toBeGreaterThan(47 * MB);
    const before = process.memoryUsage().rss;
    const answer = await chunkedPost(app, multipartBody("big-but-fine", file, file.length));
    expect(JSON.parse(answer.text)).toEqual({ data: { uploadAdapter: { __typename: "UploadAdapterSuccess" } } });
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * MB);
    // the spooled copy is removed once the response has been sent
    const spool = join(app.dataDir, "uploads");
    const leftovers = async () => readdir(spool).catch(() => []);
    for (let i = 0; i < 50 && (await leftovers()).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await leftovers()).toEqual([]);
    await expectLive(app);
  });

  it("holds a chunked JSON body to 1 MB while it streams", async () => {
    async function* hugeJson(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('{"query":"{ version }","variables":{"pad":"');
      for (let i = 0; i < 100; i++) yield Buffer.alloc(MB, 120);
      yield Buffer.from('"}}');
    }
    const answer = await chunkedPost(app, hugeJson(), "application/json");
    expect(answer.status).toBe(413);
  });
});
