import { open, type FileHandle } from "node:fs/promises";
import { FormatError } from "../formats/errors.js";

/** fs reads take a 32-bit length (Node aborts natively on more): every range is read in pieces this large. */
export const READ_CHUNK_BYTES = 16 * 1024 * 1024;

/** `length` bytes of `file` from `position`, read piece by piece; a file that ends early is a FormatError. */
export async function readRange(file: FileHandle, position: number, length: number, chunkBytes = READ_CHUNK_BYTES): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  for (let done = 0; done < length; ) {
    const { bytesRead } = await file.read(bytes, done, Math.min(chunkBytes, length - done), position + done);
    if (bytesRead === 0) throw new FormatError(`the file ends at byte ${position + done}, inside the ${length} bytes its header places at ${position}`);
    done += bytesRead;
  }
  return bytes;
}

/** A small text file (a config, a metadata document) as UTF-8; one over `maxBytes` is refused before it is read. */
export async function readSmallText(path: string, maxBytes: number, what: string): Promise<string> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    if (size > maxBytes) throw new FormatError(`${what} is ${size} bytes; at most ${maxBytes} are read`);
    return new TextDecoder().decode(await readRange(file, 0, size));
  } finally {
    await file.close();
  }
}
