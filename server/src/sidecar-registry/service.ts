import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { ActivityService } from "../activity/service.js";
import type { Prisma, PrismaClient, Sidecar } from "../generated/prisma/client.js";
import type { GenerationService } from "../generation/service.js";
import { NotFoundError } from "../errors/domain-errors.js";
import { parseInput } from "../errors/validate.js";
import { Channel } from "../pubsub/channel.js";
import type { TrainingJob } from "../contracts/queue.js";
import { generationSlots, sidecarRegistration, type SidecarCommand } from "../contracts/sidecar.js";
import type { EventBus } from "../pubsub/pubsub.js";
import type { GenerationQueue, JobQueue, Taken } from "../queue/queue.js";
import type { RunService } from "../runs/service.js";

export interface SidecarServiceDeps {
  prisma: PrismaClient;
  activity: ActivityService;
  events: EventBus;
  queue: JobQueue;
  generationQueue: GenerationQueue;
  runs: RunService;
  generation: GenerationService;
  logger: Logger;
  /** SIDECAR_GRACE_SECONDS: how long a sidecar may be unheard from before it loses its jobs */
  graceMs: number;
}

/** How often a replica says its sidecars' connections are alive, and looks for sidecars no replica has heard from. */
const HEARTBEAT_MS = 2000;
/** A CPU sidecar leaves a new run this long to connected CUDA sidecars that could take it. */
export const CUDA_FIRST_MS = 3000;
/** A sidecar that went away stays listed this long after it was last seen; after that only its runs remember it. */
export const LISTED_AFTER_DISCONNECT_MS = 60 * 60 * 1000;
/** the name the API gives the sidecar it starts itself (SIDECAR=embedded) */
export const EMBEDDED_SIDECAR_NAME = "embedded";

/** A sidecar record changed hands meanwhile (a newer connection, another replica): this one has nothing to settle. */
class Superseded extends Error {}

interface Connection {
  /** stored as the sidecar's connectionId while this is its newest connection, on any replica */
  id: string;
  channel: Channel<SidecarCommand>;
}

/*
 * Sidecar connections across replicas (DESIGN §2): a sidecar holds one command stream on one replica, which hands it
 * jobs from the shared queues and renews its lease (lastSeenAt) every HEARTBEAT_MS. A sidecar loses its jobs (a
 * generation job is queued again up to GENERATION_RETRIES; a run fails, or starts again up to RUN_RETRIES) when its
 * stream closes and no newer one opened within the grace period, or when no replica has renewed its lease for that
 * long (its replica died too), whichever replica notices first: each such change is a conditional update, so once.
 */
export class SidecarService {
  /** each sidecar's newest connection to this replica */
  private readonly connections = new Map<string, Connection>();
  /** closed connections waiting out their grace period or being settled, by connection id, so closing the service can settle them */
  private readonly disconnects = new Map<string, { timer: NodeJS.Timeout; settled?: Promise<void> }>();
  /** aborted when this replica stops taking jobs (it is shutting down) */
  private readonly taking = new AbortController();
  private heartbeat: NodeJS.Timeout | null = null;
  private beating: Promise<void> | null = null;

  constructor(private readonly deps: SidecarServiceDeps) {}

  private get prisma() {
    return this.deps.prisma;
  }

  /** A lease outlives a few missed heartbeats however short the grace period is. */
  private get leaseMs(): number {
    return Math.max(this.deps.graceMs, 3 * HEARTBEAT_MS);
  }

  /**
   * Cluster mode: starts renewing the leases of this replica's connections and looking for sidecars no replica hears
   * from. (In one process every connection is this one's, and its close is enough.)
   */
  startLeases(): void {
    this.heartbeat ??= setInterval(() => this.beat(), HEARTBEAT_MS).unref();
  }

  async register(rawInput: unknown): Promise<Sidecar> {
    const { id, version, ...fields } = parseInput(sidecarRegistration, rawInput);
    const data = { ...fields, version: version ?? "", connected: true, lastSeenAt: new Date() };
    // an event, so that what shows sidecars (the dashboard's health) hears of it
    const sidecar = await this.deps.activity.transaction(this.prisma, async (tx) => {
      const registered = id ? await tx.sidecar.upsert({ where: { id }, create: { id, ...data }, update: data }) : await tx.sidecar.create({ data });
      const message = `sidecar '${registered.name}' connected: ${registered.executionProviders.join(", ")}, ${registered.baseModels.join(", ") || "no base model"}`;
      return { result: registered, event: { type: "SIDECAR_CONNECTED", message, subjectType: "Sidecar", subjectId: registered.id } };
    });
    this.deps.logger.info({ sidecar: sidecar.id, name: sidecar.name, providers: sidecar.executionProviders }, "sidecar registered");
    return sidecar;
  }

  /** At start, when this process owns the only sidecar: connections a previous process recorded are gone. */
  async forgetConnections(): Promise<void> {
    await this.prisma.sidecar.updateMany({ where: { connected: true }, data: { connected: false } });
  }

  /** The embedded sidecar keeps one record across restarts of the API: the newest of its name, else a new one. */
  async embeddedSidecarId(): Promise<string> {
    const known = await this.prisma.sidecar.findFirst({ where: { name: EMBEDDED_SIDECAR_NAME }, orderBy: { lastSeenAt: "desc" }, select: { id: true } });
    return known?.id ?? randomUUID();
  }

  /**
   * The sidecar records worth showing (the sidecars query, the dashboard's health): every connected one, and each
   * that went away within LISTED_AFTER_DISCONNECT_MS unless a live or newer record of the same name (that sidecar,
   * restarted under a new id) is shown.
   */
  async listedIds(): Promise<string[]> {
    const recent = await this.prisma.sidecar.findMany({
      where: { OR: [{ connected: true }, { lastSeenAt: { gte: new Date(Date.now() - LISTED_AFTER_DISCONNECT_MS) } }] },
      select: { id: true, name: true, connected: true },
      orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
    });
    const listed = recent.filter((sidecar) => sidecar.connected);
    const shownNames = new Set(listed.map((sidecar) => sidecar.name));
    for (const sidecar of recent) {
      if (sidecar.connected || shownNames.has(sidecar.name)) continue;
      shownNames.add(sidecar.name);
      listed.push(sidecar);
    }
    return listed.map((sidecar) => sidecar.id);
  }

  async find(id: string): Promise<Sidecar> {
    const sidecar = await this.prisma.sidecar.findUnique({ where: { id } });
    if (!sidecar) throw new NotFoundError(`sidecar '${id}' is not registered`);
    return sidecar;
  }

  /**
   * What a connected sidecar is told to do: runs taken from the queue for its trainers while it has a free slot,
   * cancels of its runs, and generation jobs for its base models while it has a free generation slot (separate slots,
   * so generation goes on beside a long training run). When the connection closes and the sidecar does not come back
   * within the grace period, its running runs and jobs are settled by the policy above.
   */
  commands(sidecar: Sidecar, rawGenerationSlots: unknown = 0): AsyncIterableIterator<SidecarCommand> {
    const jobSlotCount = parseInput(generationSlots, rawGenerationSlots);
    const { events } = this.deps;
    const cancels = events.subscribe("sidecarCommand", sidecar.id);
    const ended = events.subscribe("sidecarRunEnded", sidecar.id);
    const jobsEnded = events.subscribe("sidecarGenerationEnded", sidecar.id);
    const resyncs = events.resyncs()[Symbol.asyncIterator]();
    const closed = new AbortController();
    const connectionId = randomUUID();
    const channel = new Channel<SidecarCommand>(() => {
      closed.abort();
      void cancels.return();
      void ended.return();
      void jobsEnded.return();
      void resyncs.return?.();
      this.scheduleDisconnect(sidecar, connectionId);
    });
    this.connections.set(sidecar.id, { id: connectionId, channel });
    const slots = new Slots(sidecar.concurrency, closed.signal);
    const jobSlots = new Slots(jobSlotCount, closed.signal);
    void (async () => {
      for await (const command of cancels) channel.push(command);
    })();
    void (async () => {
      for await (const run of ended) slots.release(run.id);
    })();
    void (async () => {
      for await (const job of jobsEnded) jobSlots.release(job.id);
    })();
    void (async () => {
      for (let resync = await resyncs.next(); !resync.done; resync = await resyncs.next()) await this.recount(sidecar.id, channel, slots, jobSlots);
    })().catch((error: unknown) => this.deps.logger.error({ err: error, sidecar: sidecar.id }, "could not recount a sidecar's work after a resync"));
    const taking = AbortSignal.any([closed.signal, this.taking.signal]);
    void this.serve(sidecar, { id: connectionId, channel }, { slots, jobSlots, jobSlotCount }, taking).catch((error: unknown) => {
      this.deps.logger.error({ err: error, sidecar: sidecar.id }, "stopped handing jobs to a sidecar; it will subscribe again");
      channel.close();
    });
    return channel;
  }

  /**
   * Claims the sidecar record for this connection, counts what it already runs (once its topics are heard, so that no
   * end falls between), then hands it jobs.
   */
  private async serve(sidecar: Sidecar, connection: Connection, { slots, jobSlots, jobSlotCount }: { slots: Slots; jobSlots: Slots; jobSlotCount: number }, taking: AbortSignal): Promise<void> {
    await this.deps.events.listening();
    await this.prisma.sidecar.update({ where: { id: sidecar.id }, data: { connected: true, lastSeenAt: new Date(), connectionId: connection.id } });
    const { running, generating } = await this.workOf(sidecar.id);
    const { queue, generationQueue, runs, generation } = this.deps;
    const feeds = [
      feed(connection.channel, slots, taking, running, {
        next: () => this.nextRun(sidecar, taking),
        idOf: (job) => job.runId,
        putBack: (job) => queue.add(job),
        dispatch: (job) => runs.dispatch(job.runId, sidecar.id),
      }),
    ];
    if (jobSlotCount > 0) {
      feeds.push(
        feed(connection.channel, jobSlots, taking, generating, {
          next: () => generationQueue.next(sidecar.baseModels, taking),
          idOf: (task) => task.jobId,
          putBack: (task) => generationQueue.add(task),
          dispatch: (task) => generation.dispatch(task.jobId, sidecar.id),
        }),
      );
    }
    await Promise.all(feeds);
  }

  private async workOf(sidecarId: string): Promise<{ running: { id: string; cancelRequested: boolean }[]; generating: { id: string }[] }> {
    const [running, generating] = await Promise.all([
      this.prisma.run.findMany({ where: { sidecarId, status: "RUNNING" }, select: { id: true, cancelRequested: true } }),
      this.prisma.generationJob.findMany({ where: { sidecarId, status: "RUNNING" }, select: { id: true } }),
    ]);
    return { running, generating };
  }

  /** After events may have been lost: the slots follow what the database says the sidecar runs, and cancels are said again. */
  private async recount(sidecarId: string, channel: Channel<SidecarCommand>, slots: Slots, jobSlots: Slots): Promise<void> {
    const { running, generating } = await this.workOf(sidecarId);
    slots.resetTo(running.map((run) => run.id));
    jobSlots.resetTo(generating.map((job) => job.id));
    for (const run of running) if (run.cancelRequested) channel.push({ kind: "CANCEL_RUN", runId: run.id });
  }

  /**
   * The next run for this sidecar. A CPU-only sidecar leaves a new run for a while to connected CUDA sidecars that have
   * its trainer; one that connected while this sidecar was already waiting gets the run back.
   */
  private async nextRun(sidecar: Sidecar, taking: AbortSignal): Promise<Taken<TrainingJob> | null> {
    const { queue } = this.deps;
    for (;;) {
      const taken = await queue.next(sidecar.trainers, taking, { minAgeMs: await this.trainingDelay(sidecar) });
      if (!taken || Date.now() - taken.queuedAt >= (await this.trainingDelay(sidecar))) return taken;
      await taken.done();
      await queue.add(taken.job);
    }
  }

  /** How long a CPU-only sidecar leaves new runs to connected CUDA sidecars that have one of its trainers. */
  private async trainingDelay(sidecar: Sidecar): Promise<number> {
    if (sidecar.executionProviders.includes("CUDA")) return 0;
    const cuda = await this.prisma.sidecar.count({ where: { connected: true, executionProviders: { has: "CUDA" }, trainers: { hasSome: sidecar.trainers } } });
    return cuda > 0 ? CUDA_FIRST_MS : 0;
  }

  /**
   * The supervisor saw the process die: its connection is closed at once (so it takes no more work, even before the
   * socket's close arrives) and its runs and jobs are settled with the exit as the reason.
   */
  async processExited(sidecarId: string, reason: string): Promise<void> {
    const connection = this.connections.get(sidecarId);
    if (connection) {
      // said now, with the reason: the closed connection's own disconnect (after its grace period) then finds it gone
      this.connections.delete(sidecarId);
      connection.channel.close();
      await this.markDisconnected(sidecarId, { connectionId: connection.id }, reason);
    }
    await this.loseWork(sidecarId, reason);
  }

  /**
   * Marks the sidecar disconnected, with an event saying why (the dashboard's health refreshes on events), when `still`
   * holds; false when it no longer does (a newer connection, or another replica got there first).
   */
  private async markDisconnected(sidecarId: string, still: Prisma.SidecarWhereInput, why: string, lastSeenAt: Date | undefined = new Date()): Promise<boolean> {
    try {
      await this.deps.activity.transaction(this.prisma, async (tx) => {
        const { count } = await tx.sidecar.updateMany({ where: { ...still, id: sidecarId, connected: true }, data: { connected: false, lastSeenAt } });
        if (count === 0) throw new Superseded();
        const { name } = await tx.sidecar.findUniqueOrThrow({ where: { id: sidecarId }, select: { name: true } });
        return { result: null, event: { type: "SIDECAR_DISCONNECTED", message: `sidecar '${name}' disconnected: ${why}`, subjectType: "Sidecar", subjectId: sidecarId } };
      });
      return true;
    } catch (error) {
      if (error instanceof Superseded) return false;
      throw error;
    }
  }

  /** The policy for the work of a sidecar that went away: runs fail (or start again), generation jobs are queued again. */
  private async loseWork(sidecarId: string, why: string): Promise<void> {
    const runs = await this.deps.runs.sidecarLost(sidecarId, `${why} while the run was executing`);
    const jobs = await this.deps.generation.sidecarLost(sidecarId, `${why} while the job was executing`);
    if (runs + jobs > 0) this.deps.logger.warn({ sidecar: sidecarId, runs, jobs }, `a sidecar went away during runs or generation jobs: ${why}`);
  }

  private scheduleDisconnect(sidecar: Sidecar, connectionId: string): void {
    const timer = setTimeout(() => {
      const settled = this.disconnected(sidecar, connectionId)
        .catch((error: unknown) => this.deps.logger.error({ err: error, sidecar: sidecar.id }, "could not settle a closed sidecar connection"))
        .finally(() => this.disconnects.delete(connectionId));
      this.disconnects.set(connectionId, { timer, settled });
    }, this.deps.graceMs).unref();
    this.disconnects.set(connectionId, { timer });
  }

  /** A closed connection, its grace period over: unless the sidecar connected again meanwhile (here or elsewhere), it is lost. */
  private async disconnected(sidecar: Sidecar, connectionId: string): Promise<void> {
    if (this.connections.get(sidecar.id)?.id === connectionId) this.connections.delete(sidecar.id);
    const lost = `lost the connection to sidecar ${sidecar.name}`;
    if (await this.markDisconnected(sidecar.id, { connectionId }, lost)) await this.loseWork(sidecar.id, lost);
  }

  private beat(): void {
    this.beating ??= this.renewLeases()
      .then(() => this.sweepSilent())
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, "could not renew or check the sidecars' leases"))
      .finally(() => (this.beating = null));
  }

  private async renewLeases(): Promise<void> {
    const ids = [...this.connections.values()].map((connection) => connection.id);
    if (ids.length > 0) await this.prisma.sidecar.updateMany({ where: { connectionId: { in: ids } }, data: { lastSeenAt: new Date(), connected: true } });
  }

  /** Connected sidecars no replica has heard from within their lease: their replica died, or stopped without saying so. */
  private async sweepSilent(): Promise<void> {
    const cutoff = new Date(Date.now() - this.leaseMs);
    const silent = await this.prisma.sidecar.findMany({ where: { connected: true, lastSeenAt: { lt: cutoff } }, select: { id: true, name: true } });
    for (const { id, name } of silent) {
      const why = `no API replica heard from sidecar ${name} for ${Math.round(this.leaseMs / 1000)} s`;
      if (await this.markDisconnected(id, { lastSeenAt: { lt: cutoff } }, why, undefined)) await this.loseWork(id, why);
    }
  }

  /** false once this replica is shutting down: a sidecar should take its commands from another */
  get accepting(): boolean {
    return !this.taking.signal.aborted;
  }

  /**
   * This replica is shutting down: it hands no more jobs to its sidecars (what they run goes on; they report to any
   * replica) and refuses new command streams.
   */
  stopTaking(): void {
    this.taking.abort();
  }

  /**
   * Before the database closes: disconnects still in their grace period are dropped (the sidecar reconnects to another
   * replica, or its lease runs out there) and those under way are awaited.
   */
  async close(): Promise<void> {
    this.stopTaking();
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.beating;
    for (const { timer } of this.disconnects.values()) clearTimeout(timer);
    await Promise.all([...this.disconnects.values()].map(({ settled }) => settled));
    this.disconnects.clear();
  }
}

interface Feed<Job> {
  /** the next job for this sidecar; null once the connection has closed or the replica stops taking jobs */
  next(): Promise<Taken<Job> | null>;
  idOf(job: Job): string;
  /** a job taken as the connection closed (or that could not be handed over) goes back to the queue */
  putBack(job: Job): Promise<void>;
  /** claims the job for this sidecar: its command, or null when it is no longer there to run */
  dispatch(job: Job): Promise<SidecarCommand | null>;
}

/** Hands a connection jobs while it has a free slot, the ones it is already running counted first. */
async function feed<Job>(channel: Channel<SidecarCommand>, slots: Slots, taking: AbortSignal, running: { id: string }[], jobs: Feed<Job>): Promise<void> {
  for (const { id } of running) slots.take(id);
  while (await slots.free()) {
    const taken = await jobs.next();
    if (!taken) return;
    // done() before a put back: a queue takes a job back only once it has let go of it
    if (taking.aborted) {
      await taken.done();
      return jobs.putBack(taken.job);
    }
    let command: SidecarCommand | null;
    try {
      command = await jobs.dispatch(taken.job);
    } catch (error) {
      await taken.done();
      await jobs.putBack(taken.job);
      throw error;
    }
    await taken.done();
    if (!command) continue;
    slots.take(jobs.idOf(taken.job));
    channel.push(command);
  }
}

/** The runs (or generation jobs) a sidecar executes at once, up to its concurrency; free() waits for a slot (false once closed). */
class Slots {
  private active = new Set<string>();
  private wake: (() => void) | null = null;

  constructor(private readonly size: number, private readonly closed: AbortSignal) {
    closed.addEventListener("abort", () => this.wake?.(), { once: true });
  }

  async free(): Promise<boolean> {
    while (this.active.size >= this.size && !this.closed.aborted) await new Promise<void>((resolve) => (this.wake = resolve));
    return !this.closed.aborted;
  }

  take(id: string): void {
    this.active.add(id);
  }

  release(id: string): void {
    if (this.active.delete(id)) this.wake?.();
  }

  resetTo(ids: string[]): void {
    this.active = new Set(ids);
    this.wake?.();
  }
}
