const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** 1536 -> "1.5 KiB": binary units, three significant digits at most. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 ? String(value) : String(Number(value.toPrecision(3)));
  return `${shown} ${BYTE_UNITS[unit]}`;
}

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatDateTime(iso: string): string {
  return DATE_TIME.format(new Date(iso));
}

/** At most `digits` decimals, without trailing zeros: 2 -> "2", 0.70710678 -> "0.707". */
export function formatDecimal(value: number, digits = 3): string {
  return String(Number(value.toFixed(digits)));
}

/** 1 -> "1 adapter", 3 -> "3 adapters" (nouns with a plain -s plural). */
export function countOf(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}
