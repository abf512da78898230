/** How a generation job is spoken of: what it makes, and what makes it. */
import type { GenerationJobViewFragment } from "../../gql/graphql";
import { countOf, formatDecimal } from "../../utils/format";

type JobKind = Pick<GenerationJobViewFragment, "kind" | "sampleCount">;

/** "2 images", "1 melody" */
export function jobOutputs(job: JobKind): string {
  return job.kind === "IMAGE" ? countOf(job.sampleCount, "image") : countOf(job.sampleCount, "melody", "melodies");
}

/** The GENERATION_BACKENDS entry that made an image job's images, or our sidecar for a melody job. */
export function jobGenerator(job: Pick<GenerationJobViewFragment, "backend">): string {
  return job.backend ?? "Built-in sidecar";
}

type JobSettings = Pick<GenerationJobViewFragment, "kind" | "durationSeconds" | "temperature" | "topK" | "seed" | "imageSettings">;

/** "20 steps · Euler a · CFG 7 · 512×768 · seed 77", or a melody job's length and sampling. */
export function jobSettings(job: JobSettings): string {
  const image = job.imageSettings;
  if (job.kind === "IMAGE" && image) {
    return `${countOf(image.steps, "step")} · ${image.sampler} · CFG ${formatDecimal(image.cfgScale, 1)} · ${image.width}×${image.height} · seed ${job.seed}`;
  }
  return `${formatDecimal(job.durationSeconds, 2)} s · temperature ${formatDecimal(job.temperature)}, top-k ${job.topK ?? "all"} · seed ${job.seed}`;
}
