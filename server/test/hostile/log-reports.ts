import { expect } from "vitest";
import type { TestApp } from "../harness.js";

/*
 * A run RUNNING on a sidecar that the test plays itself over the sidecar's GraphQL (with the app's sidecar token), so
 * it can report a run's log at any rate, or past any limit, as a hostile or flooding sidecar would.
 */

export interface ReportedChunk {
  seq: number;
  stream: "STDOUT" | "STDERR";
  data: string;
}

export interface PlayedRun {
  runId: string;
  /** reportRunLogs as the sidecar sends it; the GraphQL errors, if any */
  reportLogs(chunks: ReportedChunk[]): Promise<{ message: string; extensions?: { code?: string } }[] | undefined>;
}

async function ok(app: TestApp, query: string, variables?: Record<string, unknown>): Promise<any> {
  const { data, errors } = await app.gql(query, variables);
  expect(errors, JSON.stringify(errors)).toBeUndefined();
  return data;
}

export async function playedRun(app: TestApp, name: string): Promise<PlayedRun> {
  const authorization = `Bearer ${app.deps.config.sidecarToken}`;
  const asSidecar = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(`${app.url}/graphql`, { method: "POST", headers: { "content-type": "application/json", authorization }, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
  };
  const dataset = await ok(app, `mutation { generateDataset(input: { name: "${name}", style: "major-waltz", count: 4, seed: 1 }) { ... on GenerateDatasetSuccess { dataset { id } } } }`);
  const experiment = await ok(app, `mutation($d: ID!) { createExperiment(input: { name: "${name}", baseModelId: "tunes-s", datasetId: $d }) { ... on CreateExperimentSuccess { experiment { id } } } }`, {
    d: dataset.generateDataset.dataset.id,
  });
  const sidecar = await asSidecar(`mutation($input: RegisterSidecarInput!) { registerSidecar(input: $input) { id } }`, {
    input: { name: `${name}-sidecar`, executionProviders: ["CPU"], baseModels: ["tunes-s"], trainers: ["tunes"], concurrency: 1 },
  });
  const run = await ok(app, `mutation($e: ID!) { startRun(experimentId: $e) { ... on StartRunSuccess { run { id } } } }`, { e: experiment.createExperiment.experiment.id });
  const runId: string = run.startRun.run.id;
  // What the sidecar's command subscription would do on START_RUN.
  expect(await app.deps.services.runs.dispatch(runId, sidecar.data.registerSidecar.id)).not.toBeNull();
  return {
    runId,
    reportLogs: async (chunks) => (await asSidecar(`mutation($runId: ID!, $chunks: [LogChunkInput!]!) { reportRunLogs(runId: $runId, chunks: $chunks) }`, { runId, chunks })).errors,
  };
}
