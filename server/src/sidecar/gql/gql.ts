/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation RegisterSidecar($input: RegisterSidecarInput!) {\n    registerSidecar(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.RegisterSidecarDocument,
    "\n  subscription SidecarCommands($sidecarId: ID!, $generationSlots: Int!) {\n    sidecarCommands(sidecarId: $sidecarId, generationSlots: $generationSlots) {\n      kind\n      runId\n      trainer\n      config\n      datasetUrl\n      generation {\n        jobId\n        baseModelId\n        prompt\n        meter {\n          beatsPerBar\n          stepsPerBeat\n        }\n        maxSteps\n        samples\n        temperature\n        topK\n        seed\n        adapters {\n          adapterId\n          name\n          version\n          weight\n          alpha\n          useRslora\n          files {\n            name\n            role\n            sha256\n            sizeBytes\n            url\n          }\n        }\n      }\n    }\n  }\n": typeof types.SidecarCommandsDocument,
    "\n  mutation ReportRunLogs($runId: ID!, $chunks: [LogChunkInput!]!) {\n    reportRunLogs(runId: $runId, chunks: $chunks)\n  }\n": typeof types.ReportRunLogsDocument,
    "\n  mutation ReportRunMetrics($runId: ID!, $points: [MetricPointInput!]!) {\n    reportRunMetrics(runId: $runId, points: $points)\n  }\n": typeof types.ReportRunMetricsDocument,
    "\n  mutation FinishRun($input: FinishRunInput!, $files: [File!]) {\n    finishRun(input: $input, files: $files) {\n      id\n      status\n    }\n  }\n": typeof types.FinishRunDocument,
    "\n  mutation ReportGenerationProgress($jobId: ID!, $progress: Float!) {\n    reportGenerationProgress(jobId: $jobId, progress: $progress)\n  }\n": typeof types.ReportGenerationProgressDocument,
    "\n  mutation FinishGeneration($input: FinishGenerationInput!) {\n    finishGeneration(input: $input) {\n      id\n      status\n    }\n  }\n": typeof types.FinishGenerationDocument,
};
const documents: Documents = {
    "\n  mutation RegisterSidecar($input: RegisterSidecarInput!) {\n    registerSidecar(input: $input) {\n      id\n      name\n    }\n  }\n": types.RegisterSidecarDocument,
    "\n  subscription SidecarCommands($sidecarId: ID!, $generationSlots: Int!) {\n    sidecarCommands(sidecarId: $sidecarId, generationSlots: $generationSlots) {\n      kind\n      runId\n      trainer\n      config\n      datasetUrl\n      generation {\n        jobId\n        baseModelId\n        prompt\n        meter {\n          beatsPerBar\n          stepsPerBeat\n        }\n        maxSteps\n        samples\n        temperature\n        topK\n        seed\n        adapters {\n          adapterId\n          name\n          version\n          weight\n          alpha\n          useRslora\n          files {\n            name\n            role\n            sha256\n            sizeBytes\n            url\n          }\n        }\n      }\n    }\n  }\n": types.SidecarCommandsDocument,
    "\n  mutation ReportRunLogs($runId: ID!, $chunks: [LogChunkInput!]!) {\n    reportRunLogs(runId: $runId, chunks: $chunks)\n  }\n": types.ReportRunLogsDocument,
    "\n  mutation ReportRunMetrics($runId: ID!, $points: [MetricPointInput!]!) {\n    reportRunMetrics(runId: $runId, points: $points)\n  }\n": types.ReportRunMetricsDocument,
    "\n  mutation FinishRun($input: FinishRunInput!, $files: [File!]) {\n    finishRun(input: $input, files: $files) {\n      id\n      status\n    }\n  }\n": types.FinishRunDocument,
    "\n  mutation ReportGenerationProgress($jobId: ID!, $progress: Float!) {\n    reportGenerationProgress(jobId: $jobId, progress: $progress)\n  }\n": types.ReportGenerationProgressDocument,
    "\n  mutation FinishGeneration($input: FinishGenerationInput!) {\n    finishGeneration(input: $input) {\n      id\n      status\n    }\n  }\n": types.FinishGenerationDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterSidecar($input: RegisterSidecarInput!) {\n    registerSidecar(input: $input) {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql.js').RegisterSidecarDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SidecarCommands($sidecarId: ID!, $generationSlots: Int!) {\n    sidecarCommands(sidecarId: $sidecarId, generationSlots: $generationSlots) {\n      kind\n      runId\n      trainer\n      config\n      datasetUrl\n      generation {\n        jobId\n        baseModelId\n        prompt\n        meter {\n          beatsPerBar\n          stepsPerBeat\n        }\n        maxSteps\n        samples\n        temperature\n        topK\n        seed\n        adapters {\n          adapterId\n          name\n          version\n          weight\n          alpha\n          useRslora\n          files {\n            name\n            role\n            sha256\n            sizeBytes\n            url\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').SidecarCommandsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReportRunLogs($runId: ID!, $chunks: [LogChunkInput!]!) {\n    reportRunLogs(runId: $runId, chunks: $chunks)\n  }\n"): typeof import('./graphql.js').ReportRunLogsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReportRunMetrics($runId: ID!, $points: [MetricPointInput!]!) {\n    reportRunMetrics(runId: $runId, points: $points)\n  }\n"): typeof import('./graphql.js').ReportRunMetricsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FinishRun($input: FinishRunInput!, $files: [File!]) {\n    finishRun(input: $input, files: $files) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql.js').FinishRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReportGenerationProgress($jobId: ID!, $progress: Float!) {\n    reportGenerationProgress(jobId: $jobId, progress: $progress)\n  }\n"): typeof import('./graphql.js').ReportGenerationProgressDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FinishGeneration($input: FinishGenerationInput!) {\n    finishGeneration(input: $input) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql.js').FinishGenerationDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
