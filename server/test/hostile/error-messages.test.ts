import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tonejs from "@tonejs/midi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kohyaAdapter } from "../fixtures.js";
import { eventually } from "../generation-fixtures.js";
import { startTestApp, type TestApp } from "../harness.js";
import { expectLive } from "./liveness.js";

/*
 * Issue 10 item 11: coded errors leaked internals — the IMPORT_ROOTS paths, "Cannot read properties of undefined
 * (reading 'forEach')" from a MIDI parser, an exception's own words in a delivery's error. Each message now says what
 * was wrong in the caller's terms.
 */

const { Midi } = tonejs;
const INTERNALS = /Cannot read properties|is not a function|is not iterable|undefined|TypeError|RangeError|ENOENT|ENOTDIR|EACCES|at .*\.(ts|js):\d+/;
const RESULT = `__typename ... on Error { code message } ... on BadUserInputError { fieldErrors { field message } }`;

describe("error messages in the caller's terms", () => {
  let app: TestApp;
  let outside: string;

  beforeAll(async () => {
    outside = await mkdtemp(join(tmpdir(), "lora-studio-outside-"));
    await writeFile(join(outside, "secret.safetensors"), kohyaAdapter());
    app = await startTestApp({ env: { DELIVERY_COMMANDS: JSON.stringify([{ name: "echo", command: [process.execPath, "-e", "0", "--", "{prompt}"] }]) } });
    await mkdir(app.importRoot, { recursive: true });
  });

  afterAll(async () => {
    await app?.close();
    await rm(outside, { recursive: true, force: true });
  });

  function expectNoServerPaths(message: string): void {
    expect(message).not.toContain(app.importRoot);
    expect(message).not.toContain(app.dataDir);
    expect(message).not.toMatch(INTERNALS);
  }

  it("refuses a path outside the import directories without naming them, however it gets out", async () => {
    await symlink(outside, join(app.importRoot, "escape"));
    const attempts = [join(outside, "secret.safetensors"), "relative.safetensors", join(app.importRoot, "..", "x.safetensors"), join(app.importRoot, "escape", "secret.safetensors")];
    for (const filePath of attempts) {
      const { data } = await app.gql(`mutation($input: RegisterAdapterInput!) { registerAdapter(input: $input) { ${RESULT} } }`, { input: { name: "escape", version: "1", filePath } });
      expect(data.registerAdapter).toMatchObject({ __typename: "BadUserInputError", code: "BAD_USER_INPUT", fieldErrors: [{ field: "filePath" }] });
      expect(data.registerAdapter.message).toMatch(/outside the allowed import directories$/);
      expectNoServerPaths(data.registerAdapter.message.replace(filePath, ""));
    }
    const { data } = await app.gql(`mutation($input: ImportCivitaiMetadataInput!) { importCivitaiMetadata(input: $input) { ${RESULT} } }`, { input: { directory: outside } });
    expect(data.importCivitaiMetadata).toMatchObject({ code: "BAD_USER_INPUT", message: `${outside} is outside the allowed import directories` });
    expect(await app.deps.db.prisma.adapter.count()).toBe(0);
  });

  it("names a damaged MIDI file and what is wrong with it, never the parser's internals", async () => {
    const midi = new Midi();
    const track = midi.addTrack();
    for (let i = 0; i < 16; i++) track.addNote({ midi: 60 + (i % 12), ticks: i * 120, durationTicks: 100 });
    const bytes = midi.toArray();
    const form = new FormData();
    const query = `mutation($files: [File!]!, $input: ImportDatasetInput!) { importDataset(files: $files, input: $input) { ${RESULT} } }`;
    const cuts = [30, 40, bytes.length - 3];
    form.set("operations", JSON.stringify({ query, variables: { files: cuts.map(() => null), input: { name: "damaged", format: "MIDI" } } }));
    form.set("map", JSON.stringify(Object.fromEntries(cuts.map((_, i) => [String(i), [`variables.files.${i}`]]))));
    cuts.forEach((cut, i) => form.set(String(i), new Blob([bytes.slice(0, cut)]), `tune-${i}.mid`));
    const response = await fetch(`${app.url}/graphql`, { method: "POST", body: form, headers: app.headers });
    const { data } = (await response.json()) as any;
    expect(data.importDataset).toMatchObject({ __typename: "BadUserInputError", code: "BAD_USER_INPUT" });
    expect(data.importDataset.fieldErrors.map((error: { message: string }) => error.message.split(":")[0])).toEqual(["tune-0.mid", "tune-1.mid", "tune-2.mid"]);
    for (const { message } of data.importDataset.fieldErrors) expect(message).not.toMatch(INTERNALS);
    await expectLive(app);
  });

  it("fails a delivery that breaks inside the server with a message that keeps the server's paths and errors to its log", async () => {
    // the deliveries directory is a file, so making the delivery's working directory fails inside the server
    await rm(join(app.dataDir, "deliveries"), { recursive: true, force: true });
    await writeFile(join(app.dataDir, "deliveries"), "");
    const { data } = await app.gql(`mutation($input: CreateDeliveryInput!) { createDelivery(input: $input) { ${RESULT} ... on CreateDeliverySuccess { delivery { id } } } }`, {
      input: { mode: "CLI", command: "echo", prompt: "jazz" },
    });
    const id = data.createDelivery.delivery.id;
    const delivery = await eventually("the delivery to fail", async () => {
      const read = (await app.gql(`query($id: ID!) { delivery(id: $id) { status error } }`, { id })).data.delivery;
      return read.status === "FAILED" && read;
    });
    expect(delivery).toEqual({ status: "FAILED", error: "an internal error stopped the delivery; the server log has the details" });
  });
});
