/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type FinishGenerationInput = {
  /** why the job failed, instead of the melodies */
  error?: string | null | undefined;
  jobId: string | number;
  /** one per sample, in order: { notes: [{ pitch, start, duration }], lengthSteps, meter } */
  melodies?: Array<unknown> | null | undefined;
};

export type FinishRunInput = {
  /** the last lines of stderr */
  error?: string | null | undefined;
  exitCode?: number | null | undefined;
  runId: string | number;
  signal?: string | null | undefined;
};

export type GenerationStatus =
  | 'DONE'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING';

export type LogChunkInput = {
  data: string;
  /** 1, 2, 3, ... per run, so a retried report is stored once */
  seq: number;
  stream: LogStream;
  time?: string | null | undefined;
};

export type LogStream =
  | 'STDERR'
  | 'STDOUT';

export type MetricPointInput = {
  name: string;
  step: number;
  time?: string | null | undefined;
  value: number;
};

export type RegisterSidecarInput = {
  baseModels: Array<string>;
  concurrency: number;
  executionProviders: Array<string>;
  /** keeps one record across restarts */
  id?: string | number | null | undefined;
  name: string;
  trainers: Array<string>;
  version?: string | null | undefined;
};

export type RunStatus =
  | 'CANCELLED'
  | 'COMPLETED'
  | 'FAILED'
  | 'PENDING'
  | 'RUNNING';

export type SidecarCommandKind =
  | 'CANCEL_RUN'
  | 'GENERATE'
  | 'START_RUN';

export type RegisterSidecarMutationVariables = Exact<{
  input: RegisterSidecarInput;
}>;


export type RegisterSidecarMutation = { registerSidecar: { id: string, name: string } };

export type SidecarCommandsSubscriptionVariables = Exact<{
  sidecarId: string | number;
  generationSlots: number;
}>;


export type SidecarCommandsSubscription = { sidecarCommands: { kind: SidecarCommandKind, runId: string | null, trainer: string | null, config: unknown, datasetUrl: string | null, generation: { jobId: string, baseModelId: string, prompt: string, maxSteps: number, samples: number, temperature: number, topK: number | null, seed: number, meter: { beatsPerBar: number, stepsPerBeat: number }, adapters: Array<{ adapterId: string, name: string, version: string, weight: number, alpha: number, useRslora: boolean, files: Array<{ name: string, role: string, sha256: string, sizeBytes: number, url: string }> }> } | null } };

export type ReportRunLogsMutationVariables = Exact<{
  runId: string | number;
  chunks: Array<LogChunkInput> | LogChunkInput;
}>;


export type ReportRunLogsMutation = { reportRunLogs: number };

export type ReportRunMetricsMutationVariables = Exact<{
  runId: string | number;
  points: Array<MetricPointInput> | MetricPointInput;
}>;


export type ReportRunMetricsMutation = { reportRunMetrics: number };

export type FinishRunMutationVariables = Exact<{
  input: FinishRunInput;
  files?: Array<File> | File | null | undefined;
}>;


export type FinishRunMutation = { finishRun: { id: string, status: RunStatus } };

export type ReportGenerationProgressMutationVariables = Exact<{
  jobId: string | number;
  progress: number;
}>;


export type ReportGenerationProgressMutation = { reportGenerationProgress: number };

export type FinishGenerationMutationVariables = Exact<{
  input: FinishGenerationInput;
}>;


export type FinishGenerationMutation = { finishGeneration: { id: string, status: GenerationStatus } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const RegisterSidecarDocument = new TypedDocumentString(`
    mutation RegisterSidecar($input: RegisterSidecarInput!) {
  registerSidecar(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<RegisterSidecarMutation, RegisterSidecarMutationVariables>;
export const SidecarCommandsDocument = new TypedDocumentString(`
    subscription SidecarCommands($sidecarId: ID!, $generationSlots: Int!) {
  sidecarCommands(sidecarId: $sidecarId, generationSlots: $generationSlots) {
    kind
    runId
    trainer
    config
    datasetUrl
    generation {
      jobId
      baseModelId
      prompt
      meter {
        beatsPerBar
        stepsPerBeat
      }
      maxSteps
      samples
      temperature
      topK
      seed
      adapters {
        adapterId
        name
        version
        weight
        alpha
        useRslora
        files {
          name
          role
          sha256
          sizeBytes
          url
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SidecarCommandsSubscription, SidecarCommandsSubscriptionVariables>;
export const ReportRunLogsDocument = new TypedDocumentString(`
    mutation ReportRunLogs($runId: ID!, $chunks: [LogChunkInput!]!) {
  reportRunLogs(runId: $runId, chunks: $chunks)
}
    `) as unknown as TypedDocumentString<ReportRunLogsMutation, ReportRunLogsMutationVariables>;
export const ReportRunMetricsDocument = new TypedDocumentString(`
    mutation ReportRunMetrics($runId: ID!, $points: [MetricPointInput!]!) {
  reportRunMetrics(runId: $runId, points: $points)
}
    `) as unknown as TypedDocumentString<ReportRunMetricsMutation, ReportRunMetricsMutationVariables>;
export const FinishRunDocument = new TypedDocumentString(`
    mutation FinishRun($input: FinishRunInput!, $files: [File!]) {
  finishRun(input: $input, files: $files) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<FinishRunMutation, FinishRunMutationVariables>;
export const ReportGenerationProgressDocument = new TypedDocumentString(`
    mutation ReportGenerationProgress($jobId: ID!, $progress: Float!) {
  reportGenerationProgress(jobId: $jobId, progress: $progress)
}
    `) as unknown as TypedDocumentString<ReportGenerationProgressMutation, ReportGenerationProgressMutationVariables>;
export const FinishGenerationDocument = new TypedDocumentString(`
    mutation FinishGeneration($input: FinishGenerationInput!) {
  finishGeneration(input: $input) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<FinishGenerationMutation, FinishGenerationMutationVariables>;