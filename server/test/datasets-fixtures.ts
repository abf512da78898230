import type { TestApp } from "./harness.js";

export const IMPORT_DATASET = `mutation($files: [File!]!, $input: ImportDatasetInput!) {
  importDataset(files: $files, input: $input) {
    __typename
    ... on Error { message code }
    ... on BadUserInputError { fieldErrors { field message } }
    ... on ImportDatasetSuccess { dataset { id name description source itemCount preview { position prompt notes } } }
  }
}`;

export interface UploadPart {
  name: string;
  data: Uint8Array | string;
}

/** A GraphQL multipart request (jaydenseric's spec) for importDataset; the parsed response body. */
export async function importDatasetFiles(app: TestApp, parts: UploadPart[], input: Record<string, unknown>) {
  const form = new FormData();
  form.set("operations", JSON.stringify({ query: IMPORT_DATASET, variables: { files: parts.map(() => null), input } }));
  form.set("map", JSON.stringify(Object.fromEntries(parts.map((_, i) => [String(i), [`variables.files.${i}`]]))));
  parts.forEach((part, i) => form.set(String(i), new Blob([Buffer.from(part.data)]), part.name));
  const res = await fetch(`${app.url}/graphql`, { method: "POST", body: form, headers: app.headers });
  return (await res.json()) as { data?: { importDataset: any }; errors?: unknown[] };
}

const TICKS_PER_QUARTER = 480;
const TICKS_PER_STEP = TICKS_PER_QUARTER / 4;
export const END_OF_TRACK = [0x00, 0xff, 0x2f, 0x00];

function uint32(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

/** A chunk: its four-letter type, its length as declared (the body's own length unless told), its body. */
export function chunk(type: string, body: ArrayLike<number>, declaredLength = body.length): Uint8Array {
  const bytes = new Uint8Array(8 + body.length);
  bytes.set([...type].map((c) => c.charCodeAt(0)));
  bytes.set(uint32(declaredLength), 4);
  bytes.set(body, 8);
  return bytes;
}

export function concat(parts: ArrayLike<number>[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

/** A Standard MIDI File (format 1, 480 ticks a quarter) of the given track chunks. */
export function midiFromChunks(tracks: Uint8Array[], trackCount = tracks.length): Uint8Array {
  return concat([chunk("MThd", [0, 1, trackCount >> 8, trackCount & 0xff, TICKS_PER_QUARTER >> 8, TICKS_PER_QUARTER & 0xff]), ...tracks]);
}

/**
 * `count` notes in chords of `voices`, one chord a 16th, written as tightly as the format allows (running status,
 * note-on with velocity 0 as note-off): 6 bytes a note, so 200,000 notes are 1.2 MB. Its top voice holds
 * `count / voices` notes.
 */
export function denseMidi(count: number, voices = 1): Uint8Array {
  const body = new Uint8Array(count * 6 + 1 + END_OF_TRACK.length);
  let at = 0;
  const event = (delta: number, pitch: number, velocity: number) => {
    body[at++] = delta;
    if (at === 1) body[at++] = 0x90;
    body[at++] = pitch;
    body[at++] = velocity;
  };
  for (let onset = 0; onset < count; onset += voices) {
    const chord = Math.min(voices, count - onset);
    const pitch = (voice: number) => 48 + ((onset + voice) % 36);
    for (let voice = 0; voice < chord; voice++) event(0, pitch(voice), 100);
    for (let voice = 0; voice < chord; voice++) event(voice === 0 ? TICKS_PER_STEP : 0, pitch(voice), 0);
  }
  body.set(END_OF_TRACK, at);
  return midiFromChunks([chunk("MTrk", body)]);
}

/** Where each chunk after the header starts: its type at `at`, its declared length at `at + 4`. */
export function chunkOffsets(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offsets: number[] = [];
  for (let at = 8 + view.getUint32(4); at + 8 <= bytes.length; at += 8 + view.getUint32(at + 4)) offsets.push(at);
  return offsets;
}

/** A copy of the file whose `index`th chunk after the header declares `change` more (or fewer) bytes than it holds. */
export function withChunkLengthChanged(bytes: Uint8Array, index: number, change: number): Uint8Array {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  const at = chunkOffsets(bytes)[index]! + 4;
  view.setUint32(at, view.getUint32(at) + change);
  return copy;
}
