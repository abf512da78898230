import { graphql } from "./gql/gql.js";

/* Everything the sidecar asks of the API (DESIGN §6), typed by codegen into ./gql (pnpm codegen). */

export const registerSidecarOperation = graphql(`
  mutation RegisterSidecar($input: RegisterSidecarInput!) {
    registerSidecar(input: $input) {
      id
      name
    }
  }
`);

export const sidecarCommandsOperation = graphql(`
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
`);

export const reportRunLogsOperation = graphql(`
  mutation ReportRunLogs($runId: ID!, $chunks: [LogChunkInput!]!) {
    reportRunLogs(runId: $runId, chunks: $chunks)
  }
`);

export const reportRunMetricsOperation = graphql(`
  mutation ReportRunMetrics($runId: ID!, $points: [MetricPointInput!]!) {
    reportRunMetrics(runId: $runId, points: $points)
  }
`);

export const finishRunOperation = graphql(`
  mutation FinishRun($input: FinishRunInput!, $files: [File!]) {
    finishRun(input: $input, files: $files) {
      id
      status
    }
  }
`);

export const reportGenerationProgressOperation = graphql(`
  mutation ReportGenerationProgress($jobId: ID!, $progress: Float!) {
    reportGenerationProgress(jobId: $jobId, progress: $progress)
  }
`);

export const finishGenerationOperation = graphql(`
  mutation FinishGeneration($input: FinishGenerationInput!) {
    finishGeneration(input: $input) {
      id
      status
    }
  }
`);
