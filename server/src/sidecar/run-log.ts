import { StringDecoder } from "node:string_decoder";

/*
 * A trainer's stdout and stderr as the run's log (DESIGN §6): the raw text, carriage returns and escapes kept, in
 * the order the sidecar read it, cut into numbered chunks. Each stream has its own UTF-8 decoder, so a character
 * whose bytes arrive in two reads is never split or mangled. What text cannot hold becomes U+FFFD: bytes that are not
 * UTF-8, and NUL (PostgreSQL text refuses it; a terminal shows nothing for it).
 */

export type LogStream = "STDOUT" | "STDERR";

export interface LogChunk {
  /** 1, 2, 3, ... per run */
  seq: number;
  stream: LogStream;
  data: string;
  /** when its first character was read, ISO 8601 */
  time: string;
}

/**
 * The API takes chunks of up to 256 K characters in requests of up to 1 MB. A chunk of 64 K characters stays under
 * 400 KB even as JSON of control characters only (6 bytes each), so any chunk fits in a request of its own.
 */
export const MAX_CHUNK_CHARS = 64 * 1024;

interface Pending {
  stream: LogStream;
  data: string;
  time: Date;
}

export class RunLog {
  private readonly decoders: Record<LogStream, StringDecoder> = { STDOUT: new StringDecoder("utf8"), STDERR: new StringDecoder("utf8") };
  private pending: Pending[] = [];
  private nextSeq = 1;

  /** Decodes a read of one stream and queues its text; returns the text (empty while a character is incomplete). */
  write(stream: LogStream, bytes: Buffer, time = new Date()): string {
    const text = this.decoders[stream].write(bytes);
    this.append(stream, text, time);
    return text;
  }

  /** The stream has ended: bytes of an incomplete character become U+FFFD, as any UTF-8 reader shows them. */
  end(stream: LogStream, time = new Date()): string {
    const text = this.decoders[stream].end();
    this.append(stream, text, time);
    return text;
  }

  /** What was read since the last call, as numbered chunks: consecutive text of one stream joined, then cut. */
  take(): LogChunk[] {
    const chunks = this.pending.flatMap(({ stream, data, time }) =>
      splitText(data, MAX_CHUNK_CHARS).map((part) => ({ seq: this.nextSeq++, stream, data: part, time: time.toISOString() })),
    );
    this.pending = [];
    return chunks;
  }

  private append(stream: LogStream, decoded: string, time: Date): void {
    if (decoded === "") return;
    const text = decoded.replaceAll("\0", "\uFFFD");
    const last = this.pending[this.pending.length - 1];
    if (last?.stream === stream) last.data += text;
    else this.pending.push({ stream, data: text, time });
  }
}

/** Pieces of at most `max` UTF-16 units, never cutting a surrogate pair (one character outside the BMP). */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let start = 0;
  while (text.length - start > max) {
    let end = start + max;
    if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    parts.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) parts.push(text.slice(start));
  return parts;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
