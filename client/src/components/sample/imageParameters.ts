/** An image sample's AUTOMATIC1111 infotext read back as the web UI reads it. */

export interface Infotext {
  prompt: string;
  negativePrompt: string;
  /** the settings line's pairs in order: ["Steps", "20"], ["Lora hashes", "a: 1f2e…"] */
  settings: [key: string, value: string][];
}

/** A1111's re_param: `Key: value` or `Key: "quoted, value"`, comma-separated. */
const SETTING = /\s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)/g;
const NEGATIVE = "Negative prompt:";
/** fewer pairs than this and the last line is prompt text, not settings (parse_generation_parameters) */
const MIN_SETTINGS = 3;

function settingsOf(line: string): [string, string][] {
  return [...line.matchAll(SETTING)].map(([, key, value]) => [key!.trim(), unquote(value!.trim())]);
}

const unquote = (value: string) => (value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, "$1") : value);

/** The prompt, the negative prompt and the settings of an infotext, as parse_generation_parameters splits them. */
export function readInfotext(text: string): Infotext {
  const lines = text.trim().split("\n");
  const last = lines.at(-1) ?? "";
  const settings = lines.length > 1 && settingsOf(last).length >= MIN_SETTINGS ? settingsOf(last) : [];
  const promptLines = settings.length > 0 ? lines.slice(0, -1) : lines;
  const negativeAt = promptLines.findIndex((line) => line.startsWith(NEGATIVE));
  const before = negativeAt === -1 ? promptLines : promptLines.slice(0, negativeAt);
  const after = negativeAt === -1 ? [] : [promptLines[negativeAt]!.slice(NEGATIVE.length).trim(), ...promptLines.slice(negativeAt + 1)];
  return { prompt: before.join("\n"), negativePrompt: after.join("\n"), settings };
}
