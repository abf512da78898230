import { FormatError } from "./errors.js";

/*
 * A strict, single-pass reader of Standard MIDI Files: every chunk must fit the file, every event its track's
 * declared length, and every track must close with End of Track. Work and memory grow linearly with the file.
 */

/** A note as the file holds it: ticks from the start of its track. */
export interface MidiFileNote {
  pitch: number;
  channel: number;
  ticks: number;
  durationTicks: number;
}

export interface MidiTimeSignature {
  numerator: number;
  denominator: number;
}

export interface MidiFileContent {
  ticksPerQuarter: number;
  /** the earliest time signature of any track */
  timeSignature: MidiTimeSignature | null;
  /** the first track name that is not blank */
  trackName: string | null;
  notes: MidiFileNote[];
}

export interface MidiReadLimits {
  /** the reader stops with a FormatError past this many notes */
  maxNotes: number;
}

const META = 0xff;
const SYSEX = 0xf0;
const SYSEX_ESCAPE = 0xf7;
const END_OF_TRACK = 0x2f;
const TRACK_NAME = 0x03;
const TIME_SIGNATURE = 0x58;
const NOTE_OFF = 0x8;
const NOTE_ON = 0x9;
const PROGRAM_CHANGE = 0xc;
const CHANNEL_PRESSURE = 0xd;
/** The standard caps variable-length quantities at four bytes (0x0FFFFFFF). */
const MAX_VARINT_BYTES = 4;
const MAX_NAME_BYTES = 1_000;
const CHUNK_TYPE = /^[\x20-\x7e]{4}$/;

const nameDecoder = new TextDecoder("utf-8");

function ascii(bytes: Uint8Array, at: number): string {
  let text = "";
  for (let i = at; i < at + 4; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

function uint32(bytes: Uint8Array, at: number): number {
  return bytes[at]! * 0x1000000 + ((bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!);
}

function uint16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

/** Open note-ons per channel and pitch, closed first-in first-out, as sequencers pair them. */
class OpenNotes {
  private readonly byKey = new Map<number, { starts: number[]; head: number }>();

  open(key: number, ticks: number): void {
    const open = this.byKey.get(key);
    if (open) open.starts.push(ticks);
    else this.byKey.set(key, { starts: [ticks], head: 0 });
  }

  /** The start of the oldest open note of `key`, or undefined when none is open. */
  close(key: number): number | undefined {
    const open = this.byKey.get(key);
    if (!open) return undefined;
    const start = open.starts[open.head++]!;
    if (open.head === open.starts.length) this.byKey.delete(key);
    return start;
  }
}

class TrackReader {
  private position: number;
  private ticks = 0;
  private runningStatus = 0;
  private ended = false;
  private readonly openNotes = new OpenNotes();
  timeSignature: (MidiTimeSignature & { ticks: number }) | null = null;
  name: string | null = null;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly end: number,
    private readonly label: string,
    private readonly notes: MidiFileNote[],
    private readonly limits: MidiReadLimits,
  ) {
    this.position = start;
  }

  read(): void {
    while (this.position < this.end) {
      if (this.ended) {
        const extra = this.end - this.position;
        throw this.error(`has ${extra} byte${extra === 1 ? "" : "s"} after its End of Track: its declared length does not match its events`);
      }
      this.ticks += this.varint();
      this.event();
    }
    if (!this.ended) throw this.error("ends without End of Track: the file is cut short or its declared length is wrong");
  }

  private error(problem: string): FormatError {
    return new FormatError(`${this.label} ${problem}`);
  }

  private byte(): number {
    if (this.position >= this.end) throw this.error("is cut short: an event runs past its declared length");
    return this.bytes[this.position++]!;
  }

  private varint(): number {
    let value = 0;
    for (let count = 0; count < MAX_VARINT_BYTES; count++) {
      const byte = this.byte();
      value = value * 128 + (byte & 0x7f);
      if (byte < 0x80) return value;
    }
    throw this.error(`has a variable-length number longer than ${MAX_VARINT_BYTES} bytes at byte ${this.position}`);
  }

  private skip(length: number): number {
    const start = this.position;
    if (length > this.end - start) throw this.error("is cut short: an event runs past its declared length");
    this.position += length;
    return start;
  }

  private event(): void {
    const first = this.byte();
    if (first === META) return this.meta();
    if (first === SYSEX || first === SYSEX_ESCAPE) {
      this.skip(this.varint());
      return;
    }
    if (first > SYSEX) throw this.error(`has the status byte 0x${first.toString(16)}, which a MIDI file cannot hold, at byte ${this.position - 1}`);
    if (first >= 0x80) {
      // Kept across meta and sysex events, which the standard says cancel it: common writers rely on it.
      this.runningStatus = first;
      this.channelMessage(first, this.dataByte());
    } else if (this.runningStatus) {
      this.channelMessage(this.runningStatus, first);
    } else {
      throw this.error(`has a data byte without a status byte at byte ${this.position - 1}`);
    }
  }

  private dataByte(): number {
    const value = this.byte();
    if (value >= 0x80) throw this.error(`has the data byte 0x${value.toString(16)} above 127 at byte ${this.position - 1}`);
    return value;
  }

  private channelMessage(status: number, firstData: number): void {
    const type = status >> 4;
    if (type === PROGRAM_CHANGE || type === CHANNEL_PRESSURE) return;
    const secondData = this.dataByte();
    const key = (status & 0x0f) * 128 + firstData;
    if (type === NOTE_ON && secondData > 0) this.openNotes.open(key, this.ticks);
    else if (type === NOTE_OFF || type === NOTE_ON) this.closeNote(key, status & 0x0f, firstData);
  }

  private closeNote(key: number, channel: number, pitch: number): void {
    const start = this.openNotes.close(key);
    if (start === undefined) return;
    if (this.notes.length >= this.limits.maxNotes) throw new FormatError(`more than ${this.limits.maxNotes} notes`);
    this.notes.push({ pitch, channel, ticks: start, durationTicks: this.ticks - start });
  }

  private meta(): void {
    const type = this.byte();
    const length = this.varint();
    const start = this.skip(length);
    if (type === END_OF_TRACK) this.ended = true;
    else if (type === TRACK_NAME && !this.name?.trim()) this.name = nameDecoder.decode(this.bytes.subarray(start, start + Math.min(length, MAX_NAME_BYTES)));
    else if (type === TIME_SIGNATURE && length >= 2 && !this.timeSignature) {
      this.timeSignature = { ticks: this.ticks, numerator: this.bytes[start]!, denominator: 2 ** this.bytes[start + 1]! };
    }
  }
}

interface Header {
  trackCount: number;
  ticksPerQuarter: number;
  /** where the first chunk after the header starts */
  end: number;
}

function readHeader(bytes: Uint8Array): Header {
  if (bytes.length < 14 || ascii(bytes, 0) !== "MThd") throw new FormatError("not a MIDI file (no MThd header)");
  const length = uint32(bytes, 4);
  if (length < 6 || 8 + length > bytes.length) throw new FormatError(`the header chunk declares ${length} bytes, which do not fit the file`);
  const format = uint16(bytes, 8);
  const trackCount = uint16(bytes, 10);
  const division = uint16(bytes, 12);
  if (format > 2) throw new FormatError(`unknown MIDI file format ${format} (0, 1 and 2 exist)`);
  if (trackCount === 0) throw new FormatError("the header declares no tracks");
  if (division & 0x8000) throw new FormatError("SMPTE timing is not supported, only ticks per quarter note");
  if (division === 0) throw new FormatError("the header declares zero ticks per quarter note");
  return { trackCount, ticksPerQuarter: division, end: 8 + length };
}

/**
 * Reads the notes, the first time signature and the first track name of a Standard MIDI File. Throws a
 * FormatError saying what is wrong (a chunk or event that runs past its declared length, a track without End of
 * Track, a missing track, too many notes) where a lenient reader would return what it read so far.
 */
export function readMidiFile(bytes: Uint8Array, limits: MidiReadLimits): MidiFileContent {
  const header = readHeader(bytes);
  const notes: MidiFileNote[] = [];
  let timeSignature: TrackReader["timeSignature"] = null;
  let trackName: string | null = null;
  let position = header.end;
  for (let track = 1; track <= header.trackCount; ) {
    const label = `track ${track} of ${header.trackCount}`;
    if (position + 8 > bytes.length) throw new FormatError(`the file is cut short: ${label} is missing`);
    const type = ascii(bytes, position);
    const length = uint32(bytes, position + 4);
    const start = position + 8;
    if (!CHUNK_TYPE.test(type)) throw new FormatError(`damaged chunk at byte ${position}, where ${label} should begin`);
    if (length > bytes.length - start) throw new FormatError(`the file is cut short: ${type === "MTrk" ? label : `the chunk ${type}`} declares ${length} bytes, ${bytes.length - start} remain`);
    position = start + length;
    if (type !== "MTrk") continue; // the standard asks readers to skip chunk types they do not know
    const reader = new TrackReader(bytes, start, position, label, notes, limits);
    reader.read();
    if (reader.timeSignature && (!timeSignature || reader.timeSignature.ticks < timeSignature.ticks)) timeSignature = reader.timeSignature;
    if (trackName === null && reader.name?.trim()) trackName = reader.name;
    track += 1;
  }
  const earliest = timeSignature && { numerator: timeSignature.numerator, denominator: timeSignature.denominator };
  return { ticksPerQuarter: header.ticksPerQuarter, timeSignature: earliest, trackName, notes };
}
