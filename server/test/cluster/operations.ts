import { expect } from "vitest";
import { eventually } from "../generation-fixtures.js";
import type { Replica } from "./processes.js";

/* What the cluster tests ask of a replica, as a client would. */

/** A replica, or any server that answers GraphQL with the admin key. */
type Studio = Pick<Replica, "gql">;

export async function ok<T = any>(replica: Studio, query: string, variables?: Record<string, unknown>): Promise<T> {
  const { data, errors } = await replica.gql<T>(query, variables);
  expect(errors, JSON.stringify(errors)).toBeUndefined();
  return data!;
}

export async function createDataset(replica: Studio): Promise<string> {
  const data = await ok(replica, `mutation { generateDataset(input: { name: "cluster waltzes", style: "major-waltz", count: 8, seed: 7 }) { ... on GenerateDatasetSuccess { dataset { id } } } }`);
  return data.generateDataset.dataset.id;
}

let experiments = 0;

/** A new experiment on `baseModelId` with the dataset, and a run of it started through `replica`. */
export async function startRun(replica: Studio, datasetId: string, baseModelId: string): Promise<string> {
  experiments += 1;
  const created = await ok(replica, `mutation($input: CreateExperimentInput!) { createExperiment(input: $input) { ... on CreateExperimentSuccess { experiment { id } } ... on Error { message } } }`, {
    input: { name: `cluster-${experiments}-${Date.now()}`, baseModelId, datasetId },
  });
  const started = await ok(replica, `mutation($id: ID!) { startRun(experimentId: $id) { ... on StartRunSuccess { run { id } } ... on Error { message } } }`, { id: created.createExperiment.experiment.id });
  return started.startRun.run.id;
}

export interface RunView {
  status: string;
  error: string | null;
  lastSeq: number;
  sidecarId: string | null;
}

export async function runView(replica: Studio, id: string): Promise<RunView> {
  return (await ok(replica, `query($id: ID!) { run(id: $id) { status error lastSeq sidecarId } }`, { id })).run;
}

export function runEnded(replica: Studio, id: string, timeoutMs = 90_000): Promise<RunView> {
  return eventually(
    `run ${id} to end`,
    async () => {
      const view = await runView(replica, id);
      return ["COMPLETED", "FAILED", "CANCELLED"].includes(view.status) && view;
    },
    timeoutMs,
  );
}

export interface LogChunk {
  seq: number;
  data: string;
}

/** Every chunk runLogs sends after `afterSeq`, until `done` says enough or the subscription ends (its socket dropped). */
export function followLogs(replica: Replica, runId: string, afterSeq: number, done: (chunks: LogChunk[]) => boolean) {
  const client = replica.ws();
  const chunks: LogChunk[] = [];
  const ended = new Promise<LogChunk[]>((resolve) => {
    client.subscribe<{ runLogs: LogChunk }>(
      { query: `subscription($id: ID!, $after: Int) { runLogs(runId: $id, afterSeq: $after) { seq data } }`, variables: { id: runId, after: afterSeq } },
      {
        next: ({ data }) => {
          chunks.push(data!.runLogs);
          if (done(chunks)) resolve(chunks);
        },
        error: () => resolve(chunks),
        complete: () => resolve(chunks),
      },
    );
  });
  return { chunks, ended, close: () => client.dispose() };
}

/** The seqs are 1, 2, 3, ... without a gap or a repeat, and the text is what the trainer wrote. */
export function expectWholeLog(chunks: LogChunk[], log: string): void {
  expect(chunks.map((chunk) => chunk.seq)).toEqual(chunks.map((_, index) => index + 1));
  expect(logText(chunks)).toBe(log);
}

export function logText(chunks: LogChunk[]): string {
  return chunks.map((chunk) => chunk.data).join("");
}
