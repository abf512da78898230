/** A sample's evaluation scores in words: what it was compared with, and each score that applies. */
import type { SampleViewFragment } from "../../gql/graphql";
import { formatDecimal } from "../../utils/format";

type Scores = SampleViewFragment["scores"];

export interface ScoreFact {
  label: string;
  value: string;
  /** what the number means, for a tooltip */
  help: string;
}

/** "Compared with the style Major waltz", or why nothing was compared. */
export function scoreReference(scores: Pick<Scores, "referenceKind" | "referenceName">): string {
  const name = scores.referenceName ?? "unnamed";
  if (scores.referenceKind === "STYLE") return `Compared with the style ${name}`;
  if (scores.referenceKind === "DATASET") return `Compared with the dataset ${name}`;
  return "No reference: the prompt names no style and no adapter was trained here";
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

export function scoreFacts(scores: Scores): ScoreFact[] {
  const facts: (ScoreFact | null)[] = [
    scores.score === null ? null : { label: "Score", value: formatDecimal(scores.score, 2), help: "0 to 1, higher is closer to the reference" },
    scores.inScaleRatio === null ? null : { label: "In scale", value: percent(scores.inScaleRatio), help: "the share of notes in the reference's scale" },
    scores.pitchClassDistance === null
      ? null
      : { label: "Pitch distance", value: formatDecimal(scores.pitchClassDistance, 2), help: "pitch-class histograms compared: 0 is the same, 1 nothing alike" },
    { label: "Rhythm", value: `${formatDecimal(scores.rhythmDensity, 1)} notes/bar`, help: "how many notes a bar holds on average" },
    { label: "Notes", value: String(scores.noteCount), help: "notes in the melody" },
  ];
  return facts.filter((fact): fact is ScoreFact => fact !== null);
}
