import type { Client } from "graphql-ws";
import { loadBaseModel } from "../src/inference/base-model.js";
import { initLora, type LoraConfig } from "../src/ml/lora.js";
import { LAYER_NAMES, type LayerName } from "../src/ml/model.js";
import { createRandom } from "../src/ml/random.js";
import { encodePeftAdapter } from "../src/trainer/peft-adapter.js";
import { upload } from "./fixtures.js";
import type { TestApp } from "./harness.js";
import { collect } from "./subscriptions.js";

/* Real adapters of the reference models and the generation calls, for the generation tests and bench/generation.ts. */

export interface TunesAdapterOptions {
  baseModel?: string;
  seed?: number;
  rank?: number;
  alpha?: number;
  targetModules?: LayerName[];
  /** the spread of B: PEFT starts B at zero (no effect), a trained adapter has moved it */
  bDeviation?: number;
}

/** A PEFT adapter (adapter_config.json + adapter_model.safetensors) as the built-in trainer writes one, with a random non-zero B. */
export function tunesAdapterFiles({ baseModel = "tunes-s", seed = 1, rank = 4, alpha = 8, targetModules = [...LAYER_NAMES], bDeviation = 0.5 }: TunesAdapterOptions = {}) {
  const model = loadBaseModel(baseModel);
  const config: LoraConfig = { rank, alpha, rsLora: false, targetModules };
  const lora = initLora(model, config, createRandom(seed));
  const random = createRandom(seed + 10_000);
  for (const module of Object.values(lora)) module.b.forEach((_, index) => (module.b[index] = random.normal() * bDeviation));
  return encodePeftAdapter(lora, { config, baseModel, dropout: 0 });
}

/** Uploads a tunes adapter through the API; returns its id. */
export async function registerTunesAdapter(app: TestApp, name: string, options: TunesAdapterOptions = {}): Promise<string> {
  const files = tunesAdapterFiles(options);
  const { body } = await upload(
    app.url,
    [
      { name: "adapter_config.json", data: files.config },
      { name: "adapter_model.safetensors", data: files.weights },
    ],
    { name, version: "1", baseModelId: options.baseModel ?? "tunes-s" },
  );
  if (body.data?.uploadAdapter?.__typename !== "UploadAdapterSuccess") throw new Error(`could not upload ${name}: ${JSON.stringify(body)}`);
  return body.data.uploadAdapter.adapter.id;
}

export const CREATE_JOB = `mutation ($input: CreateGenerationJobInput!) {
  createGenerationJob(input: $input) {
    __typename
    ... on Error { message code }
    ... on BadUserInputError { fieldErrors { field message } }
    ... on AdapterDeletedError { adapterId }
    ... on IncompatibleAdapterError { adapterId compatibleAdapters { id name baseModel { id } active deletedAt } }
    ... on CreateGenerationJobSuccess { job { id status } }
  }
}`;

export const JOB_FIELDS = `
  id prompt status progress error loraHashes durationSeconds sampleCount temperature topK seed sidecarId startedAt finishedAt
  baseModel { id }
  adapters { position weight deleted adapter { id name version deletedAt usageCount ratingCount averageRating } }
  samples {
    id index lengthSteps durationSeconds ratingCount averageRating
    notes { pitch start duration }
    meter { beatsPerBar stepsPerBeat }
    scores { referenceKind referenceId referenceName noteCount rhythmDensity score pitchClassDistance inScaleRatio }
    audio { url contentType sizeBytes }
    midi { url contentType sizeBytes }
  }
`;

export interface JobView {
  id: string;
  status: string;
  progress: number;
  error: string | null;
  loraHashes: string | null;
  seed: number;
  sidecarId: string | null;
  adapters: { position: number; weight: number; deleted: boolean; adapter: { id: string; name: string; deletedAt: string | null; usageCount: number; ratingCount: number; averageRating: number | null } }[];
  samples: {
    id: string;
    index: number;
    lengthSteps: number;
    durationSeconds: number;
    ratingCount: number;
    averageRating: number | null;
    notes: { pitch: number; start: number; duration: number }[];
    meter: { beatsPerBar: number; stepsPerBeat: number };
    scores: { referenceKind: string; referenceId: string | null; referenceName: string | null; noteCount: number; rhythmDensity: number; score: number | null; pitchClassDistance: number | null; inScaleRatio: number | null };
    audio: { url: string; contentType: string; sizeBytes: number } | null;
    midi: { url: string; contentType: string; sizeBytes: number } | null;
  }[];
  [field: string]: unknown;
}

export interface ProgressEvent {
  status: string;
  progress: number;
}

/** createGenerationJob, expecting it to be accepted; returns the job id. */
export async function createJob(app: TestApp, input: Record<string, unknown>): Promise<string> {
  const { data, errors } = await app.gql(CREATE_JOB, { input });
  const result = data?.createGenerationJob;
  if (errors || result?.__typename !== "CreateGenerationJobSuccess") throw new Error(`the job was refused: ${JSON.stringify(errors ?? result)}`);
  return result.job.id;
}

/** Every state generationProgress sends, until it ends (it does once the job has ended). */
export function progressOf(ws: Client, jobId: string): Promise<ProgressEvent[]> {
  return collect<ProgressEvent>(ws, `subscription ($id: ID!) { generationProgress(jobId: $id) { status progress } }`, { id: jobId }).done;
}

export async function jobView(app: TestApp, id: string): Promise<JobView> {
  const { data, errors } = await app.gql<{ generationJob: JobView }>(`query ($id: ID!) { generationJob(id: $id) { ${JOB_FIELDS} } }`, { id });
  if (errors) throw new Error(JSON.stringify(errors));
  return data!.generationJob;
}

/** Creates a job, follows it to its end, and returns it as a client reads it then. */
export async function generate(app: TestApp, ws: Client, input: Record<string, unknown>): Promise<JobView & { events: ProgressEvent[] }> {
  const id = await createJob(app, input);
  const events = await progressOf(ws, id);
  return { ...(await jobView(app, id)), events };
}

/** Polls `probe` until it gives something truthy. */
export async function eventually<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The embedded sidecar, once it has connected. */
export function connectedSidecar(app: TestApp): Promise<{ id: string; executionProviders: string[] }> {
  return eventually("the embedded sidecar to connect", async () => {
    const { data } = await app.gql<{ sidecars: { id: string; connected: boolean; executionProviders: string[] }[] }>(`{ sidecars { id connected executionProviders } }`);
    return data?.sidecars.find((sidecar) => sidecar.connected);
  });
}
