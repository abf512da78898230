import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/config.js";
import { eventually } from "../generation-fixtures.js";
import { startTestApp, type TestApp } from "../harness.js";
import { expectLive } from "./liveness.js";

/*
 * Issue 10 item 10: a CLI delivery whose prompt starts with "-" reached the program as an option ("--help",
 * "-o/path"). Templates that would allow it are refused at start; after "--" the prompt is an operand, verbatim.
 */

const CREATE = `mutation($input: CreateDeliveryInput!) { createDelivery(input: $input) {
  __typename ... on Error { message code } ... on CreateDeliverySuccess { delivery { id } } } }`;
const DELIVERY = `query($id: ID!) { delivery(id: $id) { status exitCode stdout error } }`;

/** Prints its first operand; node itself would read an option there before "--". */
const ECHO = [process.execPath, "-e", "process.stdout.write(process.argv[1] ?? '(none)')"];

describe("CLI delivery prompts that look like options", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { DELIVERY_COMMANDS: JSON.stringify([{ name: "echo", command: [...ECHO, "--", "{prompt}"], timeoutSeconds: 30 }]) } });
  });

  afterAll(async () => {
    await app?.close();
  });

  async function deliver(prompt: string) {
    const { data } = await app.gql(CREATE, { input: { mode: "CLI", command: "echo", prompt } });
    expect(data.createDelivery.__typename, JSON.stringify(data.createDelivery)).toBe("CreateDeliverySuccess");
    return eventually(`the delivery of ${prompt}`, async () => {
      const { delivery } = (await app.gql(DELIVERY, { id: data.createDelivery.delivery.id })).data;
      return ["SUCCEEDED", "FAILED"].includes(delivery.status) && delivery;
    });
  }

  it("refuses at start a template whose placeholder could be read as an option, naming the argument", () => {
    for (const command of [[...ECHO, "{prompt}"], ["/opt/gen", "--prompt", "{prompt}"], ["/opt/gen", "{prompt}", "--", "{negative_prompt}"]]) {
      const load = () => loadConfig({ DATA_DIR: app.dataDir, DELIVERY_COMMANDS: JSON.stringify([{ name: "gen", command }]) });
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(/begins with a placeholder, so a value starting with "-" would be read as an option; write it as --flag=\{prompt\} or after a "--" argument/);
    }
  });

  it("hands the program a prompt of --help or -o/path as an operand, verbatim", async () => {
    const written = join(app.dataDir, "owned");
    for (const prompt of ["--help", `-o${written}`, "--version", "-"]) {
      expect(await deliver(prompt)).toMatchObject({ status: "SUCCEEDED", exitCode: 0, stdout: prompt, error: null });
    }
    expect(existsSync(written)).toBe(false);
    await expectLive(app);
  });
});
