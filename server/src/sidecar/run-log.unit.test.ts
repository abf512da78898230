import { describe, expect, it } from "vitest";
import { MAX_CHUNK_CHARS, RunLog, splitText } from "./run-log.js";

describe("RunLog", () => {
  it("never splits a UTF-8 character whose bytes arrive in two reads", () => {
    const log = new RunLog();
    const bytes = Buffer.from("loss 🎵 ✓");
    const cut = bytes.indexOf(0xf0) + 2;
    expect(log.write("STDOUT", bytes.subarray(0, cut))).toBe("loss ");
    expect(log.write("STDOUT", bytes.subarray(cut))).toBe("🎵 ✓");
    expect(log.take().map((chunk) => chunk.data)).toEqual(["loss 🎵 ✓"]);
  });

  it("keeps the interleaving of the streams and numbers the chunks from 1 across takes", () => {
    const log = new RunLog();
    log.write("STDOUT", Buffer.from("\x1b[32mstep 1\x1b[0m\r"));
    log.write("STDOUT", Buffer.from("step 2\r"));
    log.write("STDERR", Buffer.from("warning\n"));
    log.write("STDOUT", Buffer.from("step 3\n"));
    expect(log.take().map(({ seq, stream, data }) => ({ seq, stream, data }))).toEqual([
      { seq: 1, stream: "STDOUT", data: "\x1b[32mstep 1\x1b[0m\rstep 2\r" },
      { seq: 2, stream: "STDERR", data: "warning\n" },
      { seq: 3, stream: "STDOUT", data: "step 3\n" },
    ]);
    expect(log.take()).toEqual([]);
    log.write("STDERR", Buffer.from("done"));
    expect(log.take().map((chunk) => chunk.seq)).toEqual([4]);
  });

  it("cuts long output into chunks the API accepts", () => {
    const log = new RunLog();
    log.write("STDOUT", Buffer.from("x".repeat(MAX_CHUNK_CHARS * 2 + 5)));
    expect(log.take().map((chunk) => chunk.data.length)).toEqual([MAX_CHUNK_CHARS, MAX_CHUNK_CHARS, 5]);
  });

  it("ends a stream with an incomplete character as U+FFFD, and stores NUL as U+FFFD", () => {
    const log = new RunLog();
    log.write("STDERR", Buffer.from([0x61, 0x00, 0xe2, 0x9c]));
    expect(log.end("STDERR")).toBe("\ufffd");
    expect(log.take().map((chunk) => chunk.data)).toEqual(["a\ufffd\ufffd"]);
  });
});

describe("splitText", () => {
  it("never cuts a surrogate pair", () => {
    const parts = splitText("ab🎵cd", 3);
    expect(parts).toEqual(["ab", "🎵c", "d"]);
    expect(parts.join("")).toBe("ab🎵cd");
  });
});
