import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../generation-fixtures.js";
import { TEST_HEADERS } from "../test-key.js";
import { createDataset, expectWholeLog, followLogs, logText, ok, runEnded, runView, startRun } from "./operations.js";
import { clusterUnavailable, startCluster, type Cluster, type Replica, type SidecarProcess } from "./processes.js";
import { chattyScript, SCRIPTED_BASE_MODEL, STALLING_BASE_MODEL } from "./trainer-script.js";

/*
 * Cluster mode (README "Cluster"): two API replicas on one PostgreSQL and one Redis, and two sidecar processes, one
 * connected to each replica, each with a work directory of its own (nothing shared with the API but HTTP).
 */

const unavailable = await clusterUnavailable();
if (unavailable) console.warn(`skipping the cluster replica tests: ${unavailable}`);

const CHATTY = chattyScript(200, 8);
/** long enough that both sidecars are busy with one while the others wait */
const GENERATION = { prompt: "a lively jig", baseModelId: "tunes-m", durationSeconds: 16, samples: 4 };
/** still running when the test looks */
const LONG_GENERATION = { ...GENERATION, durationSeconds: 32, samples: 8 };
const CREATE_JOB = `mutation($input: CreateGenerationJobInput!) { createGenerationJob(input: $input) { ... on CreateGenerationJobSuccess { job { id } } ... on Error { message } } }`;

interface JobRow {
  status: string;
  sidecarId: string | null;
  error: string | null;
}

describe.skipIf(unavailable !== null)("two API replicas and two sidecars", () => {
  let cluster: Cluster;
  let one: Replica;
  let two: Replica;
  let sidecars: SidecarProcess[];
  let datasetId: string;

  const createJob = async (replica: Replica, seed: number) => (await ok(replica, CREATE_JOB, { input: { ...GENERATION, seed } })).createGenerationJob.job.id as string;
  const job = async (id: string): Promise<JobRow> => (await ok(one, `query($id: ID!) { generationJob(id: $id) { status sidecarId error } }`, { id })).generationJob;

  beforeAll(async () => {
    cluster = await startCluster({ chatty: CHATTY.script, env: { SIDECAR_GRACE_SECONDS: "1" } });
    [one, two] = await Promise.all([cluster.startReplica(), cluster.startReplica()]);
    const generationSlots = { SIDECAR_GENERATION_CONCURRENCY: "1" };
    sidecars = await Promise.all([cluster.startSidecar(one, "left", generationSlots), cluster.startSidecar(two, "right", generationSlots)]);
    datasetId = await createDataset(one);
  }, 120_000);

  afterAll(async () => {
    await cluster?.close();
  });

  it("gives a subscriber on replica 1 every log line and metric point of a run started through replica 2, in order, exactly once", async () => {
    const runId = await startRun(two, datasetId, SCRIPTED_BASE_MODEL);
    const logs = followLogs(one, runId, 0, (chunks) => logText(chunks).length >= CHATTY.log.length);
    const metrics = one.ws();
    const steps: number[] = [];
    const allPoints = new Promise<void>((resolve, reject) =>
      metrics.subscribe<{ runMetrics: { step: number }[] }>(
        { query: `subscription($id: ID!) { runMetrics(runId: $id) { step } }`, variables: { id: runId } },
        {
          next: ({ data }) => {
            steps.push(...data!.runMetrics.map((point) => point.step));
            if (steps.length >= 200) resolve();
          },
          error: reject,
          complete: resolve,
        },
      ),
    );

    expectWholeLog(await logs.ended, CHATTY.log);
    await allPoints;
    expect(steps).toEqual(Array.from({ length: 200 }, (_, index) => index + 1));
    expect((await runEnded(two, runId)).status).toBe("COMPLETED");
    logs.close();
    await metrics.dispose();
  }, 120_000);

  it("runs generation jobs created through both replicas, spread over both sidecars", async () => {
    const ids = await Promise.all([0, 1, 2, 3].map((seed) => createJob(seed % 2 === 0 ? one : two, seed)));
    const ended = await eventually(
      "every job to end",
      async () => {
        const rows = await Promise.all(ids.map(job));
        return rows.every((row) => row.status === "DONE" || row.status === "FAILED") && rows;
      },
      120_000,
    );
    expect(ended.map((row) => row.status)).toEqual(["DONE", "DONE", "DONE", "DONE"]);
    const ids2 = await Promise.all(sidecars.map((sidecar) => cluster.sidecarId(sidecar.name)));
    expect(new Set(ended.map((row) => row.sidecarId))).toEqual(new Set(ids2));
  }, 150_000);

  it("fails the run of a SIGKILLed sidecar with the reason, its log kept, and finishes its generation job on the other sidecar", async () => {
    const runId = await startRun(two, datasetId, STALLING_BASE_MODEL);
    const running = await eventually("the run to write its first line", async () => {
      const view = await runView(one, runId);
      return view.lastSeq > 0 && view;
    });
    const ids = await Promise.all(sidecars.map(async (sidecar) => ({ sidecar, id: await cluster.sidecarId(sidecar.name) })));
    const victim = ids.find(({ id }) => id === running.sidecarId)!;
    const survivor = ids.find(({ id }) => id !== running.sidecarId)!;
    const jobs = await Promise.all([one, two].map((replica, seed) => ok(replica, CREATE_JOB, { input: { ...LONG_GENERATION, seed } })));
    const jobIds = jobs.map((created) => created.createGenerationJob.job.id as string);
    const victimsJob = await eventually("each sidecar to run one job", async () => {
      const rows = await Promise.all(jobIds.map(job));
      return rows.every((row) => row.status === "RUNNING") && jobIds[rows.findIndex((row) => row.sidecarId === victim.id)];
    });

    victim.sidecar.child.kill("SIGKILL");

    const failed = await runEnded(one, runId);
    expect(failed).toMatchObject({ status: "FAILED", error: `lost the connection to sidecar ${victim.sidecar.name} while the run was executing` });
    const log = await fetch(`${two.url}/runs/${runId}/log`, { headers: TEST_HEADERS });
    expect(await log.text()).toBe("working\n");
    const finished = await eventually("the victim's job to finish on the other sidecar", async () => {
      const row = await job(victimsJob);
      return row.status !== "RUNNING" && row.status !== "QUEUED" && row;
    }, 120_000);
    expect(finished).toMatchObject({ status: "DONE", sidecarId: survivor.id });
  }, 180_000);
});
