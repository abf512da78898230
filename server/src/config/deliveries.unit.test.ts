import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";
import { checkTarget } from "./deliveries.js";

const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: "/tmp/lora-studio-config-test", ...env });

describe("delivery configuration", () => {
  it("reads allowed hosts with and without ports, IPv6 in brackets", () => {
    expect(load({ DELIVERY_ALLOWED_HOSTS: "127.0.0.1:7860, SDNext.lan ,[::1]:8080" }).deliveryAllowedHosts).toEqual([
      { hostname: "127.0.0.1", port: 7860 },
      { hostname: "sdnext.lan", port: null },
      { hostname: "[::1]", port: 8080 },
    ]);
    expect(load({}).deliveryAllowedHosts).toEqual([]);
  });

  it("reads command templates with a default timeout", () => {
    const config = load({ DELIVERY_COMMANDS: JSON.stringify([{ name: "gen", command: ["/opt/gen", "--prompt={prompt}"] }]) });
    expect(config.deliveryCommands).toEqual([{ name: "gen", command: ["/opt/gen", "--prompt={prompt}"], timeoutSeconds: 60 }]);
  });

  it("takes placeholders at the head of an argument only after --, where a value cannot be an option", () => {
    const command = ["/opt/gen", "--steps", "20", "-p{prompt}", "--negative={negative_prompt}", "--", "{prompt}", "{delivery_id}.png"];
    expect(load({ DELIVERY_COMMANDS: JSON.stringify([{ name: "gen", command }]) }).deliveryCommands[0]!.command).toEqual(command);
  });

  it.each([
    [{ DELIVERY_ALLOWED_HOSTS: "http://host/path" }, 'DELIVERY_ALLOWED_HOSTS: "http://host/path" is not a host or host:port'],
    [{ DELIVERY_ALLOWED_HOSTS: "host:99999" }, "is not a host or host:port"],
    [{ DELIVERY_COMMANDS: "not json" }, "DELIVERY_COMMANDS: must be a JSON array of {name, command, timeoutSeconds}"],
    [{ DELIVERY_COMMANDS: JSON.stringify([{ name: "a", command: ["/bin/x", "{prompt} {shell}"] }]) }, "unknown placeholder {shell}"],
    [{ DELIVERY_COMMANDS: JSON.stringify([{ name: "a", command: ["{prompt}"] }]) }, "the program itself cannot hold a placeholder"],
    [{ DELIVERY_COMMANDS: JSON.stringify([{ name: "a", command: ["/x"] }, { name: "a", command: ["/y"] }]) }, "command names must be unique"],
    [{ DELIVERY_COMMANDS: JSON.stringify([{ name: "a", command: "/bin/sh -c x" }]) }, "DELIVERY_COMMANDS.0.command"],
    [{ DELIVERY_COMMANDS: JSON.stringify([{ name: "a", command: ["/opt/gen", "--prompt", "{prompt}"] }]) }, 'DELIVERY_COMMANDS.0.command.2: argument "{prompt}" begins with a placeholder, so a value starting with "-" would be read as an option; write it as --flag={prompt} or after a "--" argument'],
    [{ DELIVERY_COMMANDS: JSON.stringify([{ name: "a", command: ["/opt/gen", "{prompt}", "--", "{prompt}"] }]) }, "DELIVERY_COMMANDS.0.command.1: argument"],
    [{ DELIVERY_COMMANDS: JSON.stringify([{ name: "a", command: ["/opt/gen", "{delivery_id}.png"] }]) }, 'argument "{delivery_id}.png" begins with a placeholder'],
  ])("refuses %j at start", (env, message) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(message);
  });
});

const allowed = [
  { hostname: "127.0.0.1", port: 7860 },
  { hostname: "sdnext.lan", port: null },
  { hostname: "[::1]", port: 8080 },
];

describe("checkTarget", () => {
  it.each([
    "http://127.0.0.1:7860/sdapi/v1/txt2img",
    "http://sdnext.lan/hook",
    "https://sdnext.lan/hook",
    "http://SDNEXT.lan:80/hook",
    "http://[::1]:8080/",
  ])("allows %s", (url) => {
    expect(checkTarget(url, allowed).ok).toBe(true);
  });

  it.each([
    ["http://127.0.0.1:7861/", "host 127.0.0.1:7861 is not in DELIVERY_ALLOWED_HOSTS (allowed: 127.0.0.1:7860, sdnext.lan, [::1]:8080)"],
    ["http://sdnext.lan:8080/", "host sdnext.lan:8080 is not in DELIVERY_ALLOWED_HOSTS"],
    ["http://localhost:7860/", "host localhost:7860 is not in DELIVERY_ALLOWED_HOSTS"],
    ["http://127.0.0.1.nip.io:7860/", "is not in DELIVERY_ALLOWED_HOSTS"],
    ["ftp://sdnext.lan/", "only http and https URLs"],
    ["http://me:pw@sdnext.lan/", "credentials in the URL are not accepted"],
    ["sdnext.lan/hook", "is not an absolute URL"],
  ])("refuses %s", (url, message) => {
    const check = checkTarget(url, allowed);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toContain(message);
  });

  it("checks the host as fetch will reach it: numeric spellings are normalised first", () => {
    const check = checkTarget("http://2130706433:7860/#frag", allowed);
    expect(check.ok && check.url.href).toBe("http://127.0.0.1:7860/");
  });

  it("allows nothing when no host is configured", () => {
    expect(checkTarget("http://127.0.0.1:7860/", [])).toEqual({ ok: false, message: "no host is allowed: an operator lists them in DELIVERY_ALLOWED_HOSTS" });
  });
});
