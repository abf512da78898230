import { FormatError } from "./errors.js";

const AUTOV2_LENGTH = 10;

/** AUTOMATIC1111's "AutoV2" short hash (as Civitai shows it): the first 10 hex digits of the whole file's sha256, uppercased. */
export function autoV2(sha256Hex: string): string {
  if (!/^[0-9a-f]{64}$/i.test(sha256Hex)) {
    throw new FormatError(`expected a sha256 as 64 hexadecimal characters, got ${JSON.stringify(sha256Hex.slice(0, 80))}`);
  }
  return sha256Hex.slice(0, AUTOV2_LENGTH).toUpperCase();
}
