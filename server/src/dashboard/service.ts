import type { Adapter, ExperimentStatus, PrismaClient } from "../generated/prisma/client.js";
import { VISIBLE_JOB } from "../ab-tests/visibility.js";
import type { Database } from "../db/client.js";
import type { GenerationQueue, JobQueue } from "../queue/queue.js";
import type { WorkerPool } from "../workers/pool.js";

/* The dashboard's opening view: counts, the health of every moving part, and the adapters worth a look. */

export interface DashboardServiceDeps {
  prisma: PrismaClient;
  db: Database;
  pool: WorkerPool;
  queues: { runs: JobQueue; generations: GenerationQueue };
}

export interface DashboardStats {
  adaptersTotal: number;
  adaptersActive: number;
  experimentsByStatus: { status: ExperimentStatus; count: number }[];
  runsRunning: number;
  generationsToday: number;
  averageRating: number | null;
  ratingCount: number;
}

export interface DashboardHealth {
  database: { ok: boolean; kind: string; error: string | null };
  queueDepth: { runs: number; generations: number };
  workerPool: { threads: number; queued: number; completed: number };
}

const LIVE = { deletedAt: null };

function startOfToday(): Date {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

export class DashboardService {
  constructor(private readonly deps: DashboardServiceDeps) {}

  async stats(): Promise<DashboardStats> {
    const { prisma } = this.deps;
    const [adaptersTotal, adaptersActive, experiments, runsRunning, generationsToday, ratings] = await Promise.all([
      prisma.adapter.count({ where: LIVE }),
      prisma.adapter.count({ where: { ...LIVE, active: true } }),
      prisma.experiment.groupBy({ by: ["status"], _count: { _all: true }, orderBy: { status: "asc" } }),
      prisma.run.count({ where: { status: "RUNNING" } }),
      prisma.generationJob.count({ where: { createdAt: { gte: startOfToday() }, AND: [VISIBLE_JOB] } }),
      prisma.rating.aggregate({ _avg: { score: true }, _count: { _all: true } }),
    ]);
    return {
      adaptersTotal,
      adaptersActive,
      experimentsByStatus: experiments.map((group) => ({ status: group.status, count: group._count._all })),
      runsRunning,
      generationsToday,
      averageRating: ratings._avg.score,
      ratingCount: ratings._count._all,
    };
  }

  async health(): Promise<DashboardHealth> {
    const { db, pool, queues } = this.deps;
    const database = await db.ping().then(
      () => ({ ok: true, kind: db.kind, error: null }),
      (error: unknown) => ({ ok: false, kind: db.kind, error: error instanceof Error ? error.message : String(error) }),
    );
    return { database, queueDepth: { runs: await queues.runs.depth(), generations: await queues.generations.depth() }, workerPool: pool.stats() };
  }

  /** Among live, active adapters: the best rated (at least one rating) and the most used. */
  async featured(limit: number): Promise<{ bestRated: Adapter[]; mostUsed: Adapter[] }> {
    const { prisma } = this.deps;
    const where = { ...LIVE, active: true };
    const [rated, mostUsed] = await Promise.all([
      prisma.adapter.findMany({ where: { ...where, ratingCount: { gt: 0 } } }),
      prisma.adapter.findMany({ where: { ...where, usageCount: { gt: 0 } }, orderBy: [{ usageCount: "desc" }, { name: "asc" }], take: limit }),
    ]);
    const average = (adapter: Adapter) => adapter.ratingSum / adapter.ratingCount;
    const bestRated = rated.sort((a, b) => average(b) - average(a) || b.ratingCount - a.ratingCount || a.name.localeCompare(b.name)).slice(0, limit);
    return { bestRated, mostUsed };
  }
}
