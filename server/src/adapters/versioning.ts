/**
 * The next free version after `wanted`, bumping its last number ("1.2" -> "1.3", "v2" -> "v3")
 * or appending one ("beta" -> "beta.2") until it is not among `taken`.
 */
export function nextFreeVersion(wanted: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const match = /^(.*?)(\d+)(\D*)$/.exec(wanted);
  const [prefix, start, suffix] = match ? [match[1]!, Number(match[2]), match[3]!] : [`${wanted}.`, 1, ""];
  for (let n = start + 1; ; n++) {
    const candidate = `${prefix}${n}${suffix}`;
    if (!used.has(candidate)) return candidate;
  }
}
