import { describe, expect, it } from "vitest";
import { cutAtByte, MAX_CHUNK_CHARS, RunLog, splitText, type LogChunk } from "./run-log.js";

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

describe("RunLog within RUN_LOG_MAX_MB", () => {
  const MAX = 64 * 1024;
  const text = (chunks: LogChunk[]) => chunks.map((chunk) => chunk.data).join("");
  const bytes = (chunks: LogChunk[]) => chunks.reduce((sum, chunk) => sum + Buffer.byteLength(chunk.data), 0);

  it("sends a log under the cap whole, with no marker", () => {
    const log = new RunLog(MAX);
    log.write("STDOUT", Buffer.from("a".repeat(MAX / 2)));
    const taken = log.take();
    log.write("STDERR", Buffer.from("b".repeat(MAX / 4)));
    const all = [...taken, ...log.takeEnd()];
    expect(text(all)).toBe("a".repeat(MAX / 2) + "b".repeat(MAX / 4));
    expect(all.map((chunk) => chunk.seq)).toEqual(all.map((_, index) => index + 1));
  });

  it("keeps the head as it comes and, at the end, a marker saying what was dropped, then the tail, within the cap", () => {
    const log = new RunLog(MAX);
    const lines = Array.from({ length: 5000 }, (_, i) => `step ${i} ✓ loss ${(1 / (i + 1)).toFixed(6)}\n`);
    const live: LogChunk[] = [];
    lines.forEach((line, i) => {
      log.write(i % 10 === 0 ? "STDERR" : "STDOUT", Buffer.from(line));
      if (i % 100 === 0) for (const chunk of log.take()) live.push(chunk);
    });
    for (const chunk of log.take()) live.push(chunk);
    const end = log.takeEnd();
    const all = [...live, ...end];
    const output = lines.join("");

    expect(bytes(all)).toBeLessThanOrEqual(MAX);
    expect(output.startsWith(text(live))).toBe(true);
    expect(bytes(live)).toBe(MAX * 0.75);
    const marker = end[0]!;
    const dropped = Number(/(\d+) bytes of output dropped/.exec(marker.data)![1]);
    const tail = text(end.slice(1));
    expect(output.endsWith(tail)).toBe(true);
    expect(bytes(live) + dropped + Buffer.byteLength(tail)).toBe(Buffer.byteLength(output));
    expect(all.map((chunk) => chunk.seq)).toEqual(all.map((_, index) => index + 1));
  });

  it("holds no more than the cap whatever arrives: a flood of one-byte reads switching streams", () => {
    const log = new RunLog(MAX);
    for (let i = 0; i < 200_000; i += 1) log.write(i % 2 ? "STDOUT" : "STDERR", Buffer.from("x"));
    log.take();
    const end = log.takeEnd();
    expect(end.length, "pieces in the tail: bounded by their weight").toBeLessThan(MAX / 4 / 100);
    expect(bytes(end)).toBeLessThan(MAX / 4);
  });
});

describe("cutAtByte", () => {
  it("cuts at a character boundary, down by default, up when asked", () => {
    expect(cutAtByte("a✓b", 2)).toEqual(["a", "✓b"]);
    expect(cutAtByte("a✓b", 2, "up")).toEqual(["a✓", "b"]);
    expect(cutAtByte("ab", 5)).toEqual(["ab", ""]);
  });
});

describe("splitText", () => {
  it("never cuts a surrogate pair", () => {
    const parts = splitText("ab🎵cd", 3);
    expect(parts).toEqual(["ab", "🎵c", "d"]);
    expect(parts.join("")).toBe("ab🎵cd");
  });
});
