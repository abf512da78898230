import { AdapterRef } from "../adapters/types.js";
import type { Adapter } from "../generated/prisma/client.js";
import { ExperimentStatusEnum } from "../experiments/types.js";
import { builder } from "../schema/builder.js";
import { listedSidecars, SidecarRef } from "../sidecar-registry/types.js";
import type { DashboardHealth, DashboardStats } from "./service.js";

const FEATURED = 5;

const StatusCountRef = builder.objectRef<DashboardStats["experimentsByStatus"][number]>("ExperimentStatusCount").implement({
  fields: (t) => ({ status: t.expose("status", { type: ExperimentStatusEnum }), count: t.exposeInt("count") }),
});

const DashboardStatsRef = builder.objectRef<DashboardStats>("DashboardStats").implement({
  fields: (t) => ({
    adaptersTotal: t.exposeInt("adaptersTotal", { description: "live (not deleted) adapters" }),
    adaptersActive: t.exposeInt("adaptersActive"),
    experimentsByStatus: t.field({ type: [StatusCountRef], resolve: (stats) => stats.experimentsByStatus }),
    runsRunning: t.exposeInt("runsRunning"),
    generationsToday: t.exposeInt("generationsToday", { description: "generation jobs created since local midnight (an open A/B test's count once it closes)" }),
    averageRating: t.exposeFloat("averageRating", { nullable: true, description: "over every rated sample; null before the first rating" }),
    ratingCount: t.exposeInt("ratingCount"),
  }),
});

const DatabaseHealthRef = builder.objectRef<DashboardHealth["database"]>("DatabaseHealth").implement({
  fields: (t) => ({ ok: t.exposeBoolean("ok"), kind: t.exposeString("kind"), error: t.exposeString("error", { nullable: true }) }),
});

const QueueDepthRef = builder.objectRef<DashboardHealth["queueDepth"]>("QueueDepth").implement({
  fields: (t) => ({ runs: t.exposeInt("runs"), generations: t.exposeInt("generations") }),
});

const WorkerPoolHealthRef = builder.objectRef<DashboardHealth["workerPool"]>("WorkerPoolHealth").implement({
  fields: (t) => ({ threads: t.exposeInt("threads"), queued: t.exposeInt("queued"), completed: t.exposeInt("completed") }),
});

const DashboardHealthRef = builder.objectRef<DashboardHealth>("DashboardHealth").implement({
  fields: (t) => ({
    database: t.field({ type: DatabaseHealthRef, resolve: (health) => health.database }),
    sidecars: t.prismaField({
      type: [SidecarRef],
      description: "every connected sidecar with its execution providers, and those that went away within the last hour (one per name)",
      resolve: (query, _health, _args, ctx) => listedSidecars(query, ctx),
    }),
    queueDepth: t.field({ type: QueueDepthRef, description: "runs and generation jobs waiting for a sidecar", resolve: (health) => health.queueDepth }),
    workerPool: t.field({ type: WorkerPoolHealthRef, resolve: (health) => health.workerPool }),
  }),
});

const FeaturedAdaptersRef = builder.objectRef<{ bestRated: Adapter[]; mostUsed: Adapter[] }>("FeaturedAdapters").implement({
  fields: (t) => ({
    bestRated: t.field({ type: [AdapterRef], description: "active adapters by average rating", resolve: (featured) => featured.bestRated }),
    mostUsed: t.field({ type: [AdapterRef], description: "active adapters by generations", resolve: (featured) => featured.mostUsed }),
  }),
});

const DashboardRef = builder.objectRef<Record<string, never>>("Dashboard").implement({
  description: "the state of everything at a glance; the live feed is the activity query and subscription",
  fields: (t) => ({
    stats: t.field({ type: DashboardStatsRef, resolve: (_root, _args, ctx) => ctx.services.dashboard.stats() }),
    health: t.field({ type: DashboardHealthRef, resolve: (_root, _args, ctx) => ctx.services.dashboard.health() }),
    featuredAdapters: t.field({ type: FeaturedAdaptersRef, resolve: (_root, _args, ctx) => ctx.services.dashboard.featured(FEATURED) }),
  }),
});

builder.queryField("dashboard", (t) => t.field({ authScopes: { read: true }, type: DashboardRef, resolve: () => ({}) }));
