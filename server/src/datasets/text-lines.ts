import { setImmediate } from "node:timers/promises";

/** Work between two turns of the event loop while a large upload is read on it. */
const SLICE_MS = 10;

/** A line longer than the reader takes; its 1-based number and the limit. */
export class LineTooLongError extends Error {
  constructor(readonly lineNumber: number, readonly maxChars: number) {
    super(`line ${lineNumber} is longer than ${maxChars} characters`);
  }
}

/**
 * The lines of a UTF-8 byte stream (LF or CRLF), decoded as they arrive: only the current line and one chunk are held,
 * and a line past `maxChars` stops the reading with a LineTooLongError before it is held whole.
 */
export async function* textLines(stream: ReadableStream<Uint8Array>, maxChars: number): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let partial = "";
  let lineNumber = 0;
  const complete = (line: string) => {
    lineNumber += 1;
    if (line.length > maxChars) throw new LineTooLongError(lineNumber, maxChars);
    return line.endsWith("\r") ? line.slice(0, -1) : line;
  };
  const reader = stream.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      const lines = (partial + decoder.decode(read.value, { stream: true })).split("\n");
      partial = lines.pop()!;
      for (const line of lines) yield complete(line);
      if (partial.length > maxChars) throw new LineTooLongError(lineNumber + 1, maxChars);
    }
  } finally {
    await reader.cancel();
  }
  partial += decoder.decode();
  if (partial) yield complete(partial);
}

/** A function to await between units of work: it gives the event loop a turn once SLICE_MS of work has passed. */
export function eventLoopTurns(): () => Promise<void> {
  let sliceStart = performance.now();
  return async () => {
    if (performance.now() - sliceStart < SLICE_MS) return;
    await setImmediate();
    sliceStart = performance.now();
  };
}
