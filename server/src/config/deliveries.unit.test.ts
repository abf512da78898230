import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

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
    const config = load({ DELIVERY_COMMANDS: JSON.stringify([{ name: "gen", command: ["/opt/gen", "--prompt", "{prompt}"] }]) });
    expect(config.deliveryCommands).toEqual([{ name: "gen", command: ["/opt/gen", "--prompt", "{prompt}"], timeoutSeconds: 60 }]);
  });

  it.each([
    [{ DELIVERY_ALLOWED_HOSTS: "http://host/path" }, 'DELIVERY_ALLOWED_HOSTS: "http://host/path" is not a host or host:port'],
    [{ DELIVERY_ALLOWED_HOSTS: "host:99999" }, "is not a host or host:port"],
    [{ DELIVERY_COMMANDS: "not json" }, "DELIVERY_COMMANDS: must be a JSON array of {name, command, timeoutSeconds}"],
    [{ DELIVERY_COMMANDS: JSON.stringify([{ name: "a", command: ["/bin/x", "{prompt} {shell}"] }]) }, "unknown placeholder {shell}"],
    [{ DELIVERY_COMMANDS: JSON.stringify([{ name: "a", command: ["{prompt}"] }]) }, "the program itself cannot hold a placeholder"],
    [{ DELIVERY_COMMANDS: JSON.stringify([{ name: "a", command: ["/x"] }, { name: "a", command: ["/y"] }]) }, "command names must be unique"],
    [{ DELIVERY_COMMANDS: JSON.stringify([{ name: "a", command: "/bin/sh -c x" }]) }, "DELIVERY_COMMANDS.0.command"],
  ])("refuses %j at start", (env, message) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(message);
  });
});
