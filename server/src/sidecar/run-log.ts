import { StringDecoder } from "node:string_decoder";

/*
 * A trainer's stdout and stderr as the run's log (DESIGN §6): the raw text, carriage returns and escapes kept, in
 * the order the sidecar read it, cut into numbered chunks. Each stream has its own UTF-8 decoder, so a character
 * whose bytes arrive in two reads is never split or mangled. What text cannot hold becomes U+FFFD: bytes that are not
 * UTF-8, and NUL (PostgreSQL text refuses it; a terminal shows nothing for it).
 *
 * A log is kept within RUN_LOG_MAX_MB (DESIGN §10): its head goes out as it is read, up to three quarters of the cap;
 * past that the sidecar holds a rolling tail of the last quarter, and when the output ends it sends a marker line
 * saying how many bytes were dropped (when any were), then the tail. Sizes are the UTF-8 bytes of the text, as the
 * API counts them.
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
/** the most a marker line takes */
const MARKER_ROOM = 1024;
/** what a piece of text holds besides its characters (the object, its time), for the memory it takes */
const PIECE_OVERHEAD = 100;

interface Piece {
  stream: LogStream;
  data: string;
  time: Date;
}

export class RunLog {
  private readonly decoders: Record<LogStream, StringDecoder> = { STDOUT: new StringDecoder("utf8"), STDERR: new StringDecoder("utf8") };
  private pending: Piece[] = [];
  private pendingWeight = 0;
  private nextSeq = 1;
  private headRoom: number;
  private readonly tail: RollingTail;

  /** `maxBytes`: RUN_LOG_MAX_MB in bytes; the log this keeps (head, marker, tail) never takes more */
  constructor(maxBytes = Number.POSITIVE_INFINITY) {
    // Without a cap the head has room for everything and the tail is never used.
    const tailBytes = Number.isFinite(maxBytes) ? Math.floor(maxBytes / 4) : 0;
    this.headRoom = maxBytes - tailBytes;
    this.tail = new RollingTail(tailBytes - MARKER_ROOM);
  }

  /** about the memory the text read and not taken yet holds */
  get pendingSize(): number {
    return this.pendingWeight;
  }

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
    const chunks = this.number(this.pending);
    this.pending = [];
    this.pendingWeight = 0;
    return chunks;
  }

  /** Once the output has ended: what take() gives, then the marker line (when bytes were dropped) and the tail. */
  takeEnd(time = new Date()): LogChunk[] {
    const dropped = this.tail.droppedBytes;
    const marker: Piece[] = dropped > 0 ? [{ stream: "STDERR", data: droppedMarker(dropped), time }] : [];
    return [...this.take(), ...this.number([...marker, ...this.tail.takeAll()])];
  }

  private number(pieces: Piece[]): LogChunk[] {
    return pieces.flatMap(({ stream, data, time }) =>
      splitText(data, MAX_CHUNK_CHARS).map((part) => ({ seq: this.nextSeq++, stream, data: part, time: time.toISOString() })),
    );
  }

  private append(stream: LogStream, decoded: string, time: Date): void {
    if (decoded === "") return;
    const text = decoded.replaceAll("\0", "\uFFFD");
    if (this.headRoom === 0) return this.tail.append({ stream, data: text, time });
    const [head, rest] = cutAtByte(text, this.headRoom);
    this.headRoom -= Buffer.byteLength(head);
    this.queue({ stream, data: head, time });
    if (rest !== "") {
      this.headRoom = 0;
      this.tail.append({ stream, data: rest, time });
    }
  }

  private queue(piece: Piece): void {
    if (piece.data === "") return;
    this.pendingWeight += piece.data.length;
    const last = this.pending[this.pending.length - 1];
    if (last?.stream === piece.stream) last.data += piece.data;
    else {
      this.pending.push(piece);
      this.pendingWeight += PIECE_OVERHEAD;
    }
  }
}

function droppedMarker(bytes: number): string {
  return `\r\n\x1b[33m[lora-studio] ${bytes} bytes of output dropped here: past RUN_LOG_MAX_MB a run's log keeps its head and its tail\x1b[0m\r\n`;
}

interface TailPiece extends Piece {
  bytes: number;
}

/**
 * The last `maxBytes` of the text appended, in pieces of at most MAX_CHUNK_CHARS; what goes is counted. Each piece
 * also weighs PIECE_OVERHEAD, so text that switches streams at every read cannot hold more memory than the cap.
 */
class RollingTail {
  /** pieces[first] is the oldest kept; the ones before it are gone, until the array is compacted */
  private pieces: (TailPiece | undefined)[] = [];
  private first = 0;
  private weight = 0;
  private dropped = 0;

  constructor(private readonly maxBytes: number) {}

  get droppedBytes(): number {
    return this.dropped;
  }

  append(piece: Piece): void {
    const bytes = Buffer.byteLength(piece.data);
    const last = this.pieces.length > this.first ? this.pieces[this.pieces.length - 1]! : null;
    if (last?.stream === piece.stream && last.data.length + piece.data.length <= MAX_CHUNK_CHARS) {
      last.data += piece.data;
      last.bytes += bytes;
      this.weight += bytes;
    } else {
      this.pieces.push({ ...piece, bytes });
      this.weight += bytes + PIECE_OVERHEAD;
    }
    this.trim();
  }

  takeAll(): Piece[] {
    const kept = this.pieces.slice(this.first) as TailPiece[];
    this.pieces = [];
    this.first = 0;
    this.weight = 0;
    return kept;
  }

  /** Drops whole pieces, oldest first (so the tail may hold a piece less than the cap), and cuts only a last piece over the cap. */
  private trim(): void {
    while (this.weight > this.maxBytes && this.first < this.pieces.length) {
      const oldest = this.pieces[this.first]!;
      const excess = this.weight - this.maxBytes;
      if (this.first < this.pieces.length - 1 || oldest.bytes <= excess) {
        this.pieces[this.first++] = undefined;
        this.weight -= oldest.bytes + PIECE_OVERHEAD;
        this.dropped += oldest.bytes;
        continue;
      }
      const [gone, kept] = cutAtByte(oldest.data, excess, "up");
      const goneBytes = Buffer.byteLength(gone);
      oldest.data = kept;
      oldest.bytes -= goneBytes;
      this.weight -= goneBytes;
      this.dropped += goneBytes;
    }
    if (this.first > 1024 && this.first * 2 > this.pieces.length) {
      this.pieces = this.pieces.slice(this.first);
      this.first = 0;
    }
  }
}

/**
 * The text cut in two at a character boundary near `byte` (a UTF-8 offset): at or below it by default, at or above it
 * with "up". Valid text only (a decoder's output), so the two halves decode back exactly.
 */
export function cutAtByte(text: string, byte: number, round: "down" | "up" = "down"): [string, string] {
  if (byte <= 0) return ["", text];
  const bytes = Buffer.from(text);
  if (byte >= bytes.length) return [text, ""];
  let cut = byte;
  const continuation = (at: number) => ((bytes[at] ?? 0) & 0xc0) === 0x80;
  if (round === "down") while (cut > 0 && continuation(cut)) cut -= 1;
  else while (cut < bytes.length && continuation(cut)) cut += 1;
  return [bytes.subarray(0, cut).toString(), bytes.subarray(cut).toString()];
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
