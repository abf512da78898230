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

/** 1 -> "1 adapter", 3 -> "3 adapters"; nouns without a plain -s plural name theirs ("delivery", "deliveries"). */
export function countOf(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}

const SIGNIFICANT_METRIC_DIGITS = 4;
const TINY = 0.001;

/** A loss or metric value, short but exact enough to compare runs: 0.812345 -> "0.8123", 0.00031 -> "3.1e-4". */
export function formatMetricValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && Math.abs(value) < TINY) {
    const [mantissa, exponent] = value.toExponential(SIGNIFICANT_METRIC_DIGITS - 1).split("e");
    return `${Number(mantissa)}e${Number(exponent)}`;
  }
  return String(Number(value.toPrecision(SIGNIFICANT_METRIC_DIGITS)));
}

const TIME_OF_DAY = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** "14:03:22": when a log line or metric point was recorded, to the second. */
export function formatTimeOfDay(iso: string): string {
  return TIME_OF_DAY.format(new Date(iso));
}

/** 83_000 -> "1m 23s", 3_700_000 -> "1h 1m": how long something took, two units at most. */
export function formatDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  const [hours, minutes, rest] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m ${rest}s`;
  return `${rest}s`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** How long ago `iso` was at `now`: "just now", "5 min ago", "3 h ago", "2 d ago"; from a week on, the date and time. */
export function formatRelativeTime(iso: string, now: number): string {
  const elapsed = now - new Date(iso).getTime();
  if (elapsed < MINUTE) return "just now";
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  if (elapsed < WEEK) return `${Math.floor(elapsed / DAY)} d ago`;
  return formatDateTime(iso);
}
