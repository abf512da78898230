import { crc32 } from "node:zlib";

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const IHDR_LENGTH = 13;
const MAX_DIMENSION = 65_535;

export class InvalidPngError extends Error {}

export interface PngInfo {
  width: number;
  height: number;
}

/**
 * Proves bytes are one whole PNG before they are stored and served as image/png: the signature, IHDR first
 * with sane dimensions, every chunk's CRC, and IEND at the very end (nothing smuggled after it).
 */
export function inspectPng(bytes: Buffer): PngInfo {
  if (bytes.length < SIGNATURE.length + 12 + IHDR_LENGTH || !bytes.subarray(0, SIGNATURE.length).equals(SIGNATURE)) {
    throw new InvalidPngError("not a PNG: the PNG signature is missing");
  }
  let offset = SIGNATURE.length;
  let info: PngInfo | null = null;
  while (offset + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString("latin1", offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (!/^[A-Za-z]{4}$/.test(type) || end > bytes.length) throw new InvalidPngError(`truncated or corrupt PNG chunk at byte ${offset}`);
    if (crc32(bytes.subarray(offset + 4, offset + 8 + length)) !== bytes.readUInt32BE(offset + 8 + length)) {
      throw new InvalidPngError(`PNG chunk ${type} at byte ${offset} fails its CRC`);
    }
    if (info === null) info = readHeader(type, bytes.subarray(offset + 8, offset + 8 + length));
    if (type === "IEND") {
      if (end !== bytes.length) throw new InvalidPngError(`${bytes.length - end} bytes follow the PNG's IEND chunk`);
      return info;
    }
    offset = end;
  }
  throw new InvalidPngError("truncated PNG: no IEND chunk");
}

function readHeader(type: string, data: Buffer): PngInfo {
  if (type !== "IHDR" || data.length !== IHDR_LENGTH) throw new InvalidPngError("not a PNG: the first chunk is not a 13-byte IHDR");
  const width = data.readUInt32BE(0);
  const height = data.readUInt32BE(4);
  if (width < 1 || height < 1 || width > MAX_DIMENSION || height > MAX_DIMENSION) throw new InvalidPngError(`PNG dimensions ${width}×${height} are out of range`);
  return { width, height };
}
