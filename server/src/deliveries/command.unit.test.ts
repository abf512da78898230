import { describe, expect, it } from "vitest";
import { commandArgv } from "./command.js";
import { DeliveryFailure } from "./outcome.js";

const values = { prompt: "a; rm -rf / {delivery_id}", negative_prompt: "", params: '{"steps":20}', delivery_id: "d-1" };

describe("commandArgv", () => {
  it("replaces placeholders inside single arguments, once, never splitting or re-reading a value", () => {
    const argv = commandArgv({ name: "t", timeoutSeconds: 5, command: ["/bin/gen", "--prompt={prompt}", "{negative_prompt}", "{params}", "id-{delivery_id}", "{unknown}"] }, values);
    expect(argv).toEqual(["/bin/gen", "--prompt=a; rm -rf / {delivery_id}", "", '{"steps":20}', "id-d-1", "{unknown}"]);
  });

  it("never lets a value starting with - become an option, even in a template that configuration did not check", () => {
    const command = { name: "t", timeoutSeconds: 5, command: ["/bin/gen", "{prompt}"] };
    expect(() => commandArgv(command, { ...values, prompt: "--help" })).toThrow(DeliveryFailure);
    expect(() => commandArgv(command, { ...values, prompt: "-o/etc/passwd" })).toThrow(`command 't': its argument "{prompt}" would begin with "-" and be read as an option`);
    expect(commandArgv({ ...command, command: ["/bin/gen", "--", "{prompt}"] }, { ...values, prompt: "--help" })).toEqual(["/bin/gen", "--", "--help"]);
  });
});
