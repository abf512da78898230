import { describe, expect, it } from "vitest";
import { MAX_ERROR_CHARS } from "../contracts/sidecar.js";
import { StderrTail, stripAnsi } from "./stderr-tail.js";

describe("StderrTail", () => {
  it("keeps the last lines as a terminal leaves them: colours removed, \\r redraws resolved", () => {
    const tail = new StderrTail();
    tail.append("\x1b[33mwarning:\x1b[0m early\r\n");
    for (let i = 1; i <= 25; i += 1) tail.append(`line ${i}\n`);
    tail.append("\r\x1b[2Kprogress 10%\rprogress 99%\n\n\x1b[31merror:\x1b[0m out of memory\n");
    const lines = tail.lines().split("\n");
    expect(lines).toHaveLength(20);
    expect(lines.slice(-2)).toEqual(["progress 99%", "error: out of memory"]);
    expect(lines[0]).toBe("line 8");
  });

  it("stays within the API's error length", () => {
    const tail = new StderrTail();
    tail.append(`${"x".repeat(50_000)}\n`);
    expect(tail.lines().length).toBe(MAX_ERROR_CHARS);
    expect(new StderrTail().lines()).toBe("");
  });

  it("removes OSC sequences such as titles and links", () => {
    expect(stripAnsi("\x1b]0;title\x07a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\")).toBe("alink");
  });
});
