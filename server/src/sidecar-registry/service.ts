import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { ActivityService } from "../activity/service.js";
import type { PrismaClient, Sidecar } from "../generated/prisma/client.js";
import type { GenerationService } from "../generation/service.js";
import { NotFoundError } from "../errors/domain-errors.js";
import { parseInput } from "../errors/validate.js";
import { Channel } from "../pubsub/channel.js";
import type { EventBus, SidecarCommandPayload } from "../pubsub/pubsub.js";
import type { GenerationQueue, JobQueue } from "../queue/queue.js";
import type { RunService } from "../runs/service.js";
import { generationSlotsInput, registerSidecarInput } from "./inputs.js";

export interface SidecarServiceDeps {
  prisma: PrismaClient;
  activity: ActivityService;
  events: EventBus;
  queue: JobQueue;
  generationQueue: GenerationQueue;
  runs: RunService;
  generation: GenerationService;
  logger: Logger;
}

/** A closed connection waits this long before failing its runs, so a supervisor that saw the exit can say why first. */
const DISCONNECT_GRACE_MS = 1000;
/** A sidecar that went away stays listed this long after it was last seen; after that only its runs remember it. */
export const LISTED_AFTER_DISCONNECT_MS = 60 * 60 * 1000;
/** the name the API gives the sidecar it starts itself (SIDECAR=embedded) */
export const EMBEDDED_SIDECAR_NAME = "embedded";

export class SidecarService {
  /** each sidecar's newest connection: a late close of an older one must not fail what the newer one runs */
  private readonly connections = new Map<string, { token: symbol; channel: Channel<SidecarCommandPayload> }>();
  /** disconnects waiting out their grace period or under way, so closing the service can settle them */
  private readonly disconnects = new Map<symbol, { timer: NodeJS.Timeout; settled?: Promise<void> }>();

  constructor(private readonly deps: SidecarServiceDeps) {}

  private get prisma() {
    return this.deps.prisma;
  }

  async register(rawInput: unknown): Promise<Sidecar> {
    const { id, version, ...fields } = parseInput(registerSidecarInput, rawInput);
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
   * so generation goes on beside a long training run). When the connection closes, its running runs and jobs end FAILED.
   */
  commands(sidecar: Sidecar, rawGenerationSlots: unknown = 0): AsyncIterableIterator<SidecarCommandPayload> {
    const generationSlots = parseInput(generationSlotsInput, rawGenerationSlots);
    const cancels = this.deps.events.subscribe("sidecarCommand", sidecar.id);
    const ended = this.deps.events.subscribe("sidecarRunEnded", sidecar.id);
    const jobsEnded = this.deps.events.subscribe("sidecarGenerationEnded", sidecar.id);
    const closed = new AbortController();
    const connection = Symbol(sidecar.id);
    const channel = new Channel<SidecarCommandPayload>(() => {
      closed.abort();
      void cancels.return();
      void ended.return();
      void jobsEnded.return();
      this.scheduleDisconnect(sidecar, connection);
    });
    this.connections.set(sidecar.id, { token: connection, channel });
    const slots = new Slots(sidecar.concurrency, closed.signal);
    const jobSlots = new Slots(generationSlots, closed.signal);
    void (async () => {
      for await (const command of cancels) channel.push(command);
    })();
    void (async () => {
      for await (const run of ended) slots.release(run.id);
    })();
    void (async () => {
      for await (const job of jobsEnded) jobSlots.release(job.id);
    })();
    void this.dispatchLoop(sidecar, channel, slots, closed.signal);
    if (generationSlots > 0) void this.generationLoop(sidecar, channel, jobSlots, closed.signal);
    return channel;
  }

  private async dispatchLoop(sidecar: Sidecar, channel: Channel<SidecarCommandPayload>, slots: Slots, closed: AbortSignal): Promise<void> {
    await this.prisma.sidecar.update({ where: { id: sidecar.id }, data: { connected: true, lastSeenAt: new Date() } });
    const running = await this.prisma.run.findMany({ where: { sidecarId: sidecar.id, status: "RUNNING" }, select: { id: true } });
    const { queue, runs } = this.deps;
    await feed(channel, slots, closed, running, {
      next: () => queue.next(sidecar.trainers, closed),
      idOf: (job) => job.runId,
      putBack: (job) => queue.add(job),
      dispatch: (job) => runs.dispatch(job.runId, sidecar.id),
    });
  }

  private async generationLoop(sidecar: Sidecar, channel: Channel<SidecarCommandPayload>, slots: Slots, closed: AbortSignal): Promise<void> {
    const running = await this.prisma.generationJob.findMany({ where: { sidecarId: sidecar.id, status: "RUNNING" }, select: { id: true } });
    const { generationQueue, generation } = this.deps;
    await feed(channel, slots, closed, running, {
      next: () => generationQueue.next(sidecar.baseModels, closed),
      idOf: (task) => task.jobId,
      putBack: (task) => generationQueue.add(task),
      dispatch: (task) => generation.dispatch(task.jobId, sidecar.id),
    });
  }

  /**
   * The supervisor saw the process die: its connection is closed at once (so it takes no more work, even before the
   * socket's close arrives) and its runs and jobs fail with the exit as the reason.
   */
  async processExited(sidecarId: string, reason: string): Promise<void> {
    const connection = this.connections.get(sidecarId);
    if (connection) {
      // said now, with the reason: the closed connection's own disconnect (after its grace period) then finds it gone
      this.connections.delete(sidecarId);
      connection.channel.close();
      await this.recordDisconnect(sidecarId, reason);
    }
    await this.deps.runs.failRunsOfSidecar(sidecarId, `${reason} while the run was executing`);
    await this.deps.generation.failJobsOfSidecar(sidecarId, `${reason} while the job was executing`);
  }

  /** Marks the sidecar disconnected, with an event saying why (the dashboard's health refreshes on events). */
  private async recordDisconnect(sidecarId: string, why: string): Promise<void> {
    await this.deps.activity.transaction(this.prisma, async (tx) => {
      const sidecar = await tx.sidecar.update({ where: { id: sidecarId }, data: { connected: false, lastSeenAt: new Date() } });
      return { result: null, event: { type: "SIDECAR_DISCONNECTED", message: `sidecar '${sidecar.name}' disconnected: ${why}`, subjectType: "Sidecar", subjectId: sidecarId } };
    });
  }

  private scheduleDisconnect(sidecar: Sidecar, connection: symbol): void {
    const timer = setTimeout(() => {
      const settled = this.disconnected(sidecar, connection)
        .catch((error: unknown) => this.deps.logger.error({ err: error, sidecar: sidecar.id }, "could not settle a closed sidecar connection"))
        .finally(() => this.disconnects.delete(connection));
      this.disconnects.set(connection, { timer, settled });
    }, DISCONNECT_GRACE_MS).unref();
    this.disconnects.set(connection, { timer });
  }

  /**
   * Before the database closes: disconnects still in their grace period are dropped (the next start's recovery settles
   * what those sidecars were running) and those under way are awaited.
   */
  async close(): Promise<void> {
    for (const { timer } of this.disconnects.values()) clearTimeout(timer);
    await Promise.all([...this.disconnects.values()].map(({ settled }) => settled));
    this.disconnects.clear();
  }

  private async disconnected(sidecar: Sidecar, connection: symbol): Promise<void> {
    if (this.connections.get(sidecar.id)?.token !== connection) return;
    this.connections.delete(sidecar.id);
    const lost = `lost the connection to sidecar ${sidecar.name}`;
    await this.recordDisconnect(sidecar.id, lost);
    const failed = await this.deps.runs.failRunsOfSidecar(sidecar.id, `${lost} while the run was executing`);
    const failedJobs = await this.deps.generation.failJobsOfSidecar(sidecar.id, `${lost} while the job was executing`);
    if (failed + failedJobs > 0) this.deps.logger.warn({ sidecar: sidecar.id, failed, failedJobs }, "sidecar disconnected during runs or generation jobs");
  }
}

interface Feed<Job> {
  /** the next job for this sidecar; null once the connection has closed */
  next(): Promise<Job | null>;
  idOf(job: Job): string;
  /** a job taken as the connection closed goes back to the queue */
  putBack(job: Job): Promise<void>;
  /** claims the job for this sidecar: its command, or null when it is no longer there to run */
  dispatch(job: Job): Promise<SidecarCommandPayload | null>;
}

/** Hands a connection jobs while it has a free slot, the ones it is already running counted first. */
async function feed<Job>(channel: Channel<SidecarCommandPayload>, slots: Slots, closed: AbortSignal, running: { id: string }[], jobs: Feed<Job>): Promise<void> {
  for (const { id } of running) slots.take(id);
  while (await slots.free()) {
    const job = await jobs.next();
    if (!job) return;
    if (closed.aborted) return jobs.putBack(job);
    const command = await jobs.dispatch(job);
    if (!command) continue;
    slots.take(jobs.idOf(job));
    channel.push(command);
  }
}

/** The runs (or generation jobs) a sidecar executes at once, up to its concurrency; free() waits for a slot (false once closed). */
class Slots {
  private readonly active = new Set<string>();
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
}
