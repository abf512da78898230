import { crc32, inflateSync } from "node:zlib";

/*
 * A PNG's text chunks (PNG spec §11.3.4): tEXt holds Latin-1 text, iTXt UTF-8 text (possibly deflated), each after a
 * keyword and a NUL. AUTOMATIC1111 keeps its infotext under "parameters" (PIL writes tEXt, or iTXt when the text is
 * not Latin-1). Both functions take a PNG that inspectPng has accepted.
 */

const SIGNATURE_BYTES = 8;
const LATIN1 = /^[\u0000-\u00ff]*$/;
const TEXT_CHUNKS = new Set(["tEXt", "iTXt", "zTXt"]);

interface Chunk {
  type: string;
  /** where its length field starts and where its CRC ends */
  start: number;
  end: number;
  data: Buffer;
}

function chunks(png: Buffer): Chunk[] {
  const found: Chunk[] = [];
  for (let start = SIGNATURE_BYTES; start + 12 <= png.length; ) {
    const length = png.readUInt32BE(start);
    const end = start + 12 + length;
    found.push({ type: png.toString("latin1", start + 4, start + 8), start, end, data: png.subarray(start + 8, start + 8 + length) });
    start = end;
  }
  return found;
}

/** The keyword and text of a tEXt or iTXt chunk; null for any other chunk. */
function textOf(chunk: Chunk): { keyword: string; text: string } | null {
  if (chunk.type !== "tEXt" && chunk.type !== "iTXt") return null;
  const nul = chunk.data.indexOf(0);
  if (nul === -1) return null;
  const keyword = chunk.data.toString("latin1", 0, nul);
  if (chunk.type === "tEXt") return { keyword, text: chunk.data.toString("latin1", nul + 1) };
  // iTXt: keyword NUL, compression flag, compression method, language tag NUL, translated keyword NUL, text
  const compressed = chunk.data[nul + 1] === 1;
  const languageEnd = chunk.data.indexOf(0, nul + 3);
  const translatedEnd = languageEnd === -1 ? -1 : chunk.data.indexOf(0, languageEnd + 1);
  if (translatedEnd === -1) return null;
  const body = chunk.data.subarray(translatedEnd + 1);
  return { keyword, text: (compressed ? inflateSync(body) : body).toString("utf8") };
}

/** The text of the first tEXt or iTXt chunk with this keyword; null when there is none. */
export function readPngText(png: Buffer, keyword: string): string | null {
  for (const chunk of chunks(png)) {
    const entry = textOf(chunk);
    if (entry?.keyword === keyword) return entry.text;
  }
  return null;
}

function encodeChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** A tEXt chunk for Latin-1 text, else an uncompressed iTXt one, as PIL writes them. */
function textChunk(keyword: string, text: string): Buffer {
  const name = Buffer.from(`${keyword}\0`, "latin1");
  if (LATIN1.test(text)) return encodeChunk("tEXt", Buffer.concat([name, Buffer.from(text, "latin1")]));
  return encodeChunk("iTXt", Buffer.concat([name, Buffer.from([0, 0, 0, 0]), Buffer.from(text, "utf8")]));
}

/** The PNG with `keyword` holding `text`: its first text chunk of that keyword replaced where it stands, else one added before IEND. */
export function withPngText(png: Buffer, keyword: string, text: string): Buffer {
  const all = chunks(png);
  const existing = all.find((chunk) => textOf(chunk)?.keyword === keyword);
  const iend = all.find((chunk) => chunk.type === "IEND")!;
  const { start, end } = existing ?? { start: iend.start, end: iend.start };
  return Buffer.concat([png.subarray(0, start), textChunk(keyword, text), png.subarray(end)]);
}

/** The PNG without any text chunk (tEXt, iTXt, zTXt): its pixels, with nothing that says how it was made. */
export function withoutPngText(png: Buffer): Buffer {
  const kept = chunks(png).filter((chunk) => !TEXT_CHUNKS.has(chunk.type));
  return Buffer.concat([png.subarray(0, SIGNATURE_BYTES), ...kept.map((chunk) => png.subarray(chunk.start, chunk.end))]);
}
