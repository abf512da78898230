import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getOperationAST, type DocumentNode } from "graphql";
import type { Plugin } from "graphql-yoga";
import { collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { AppDeps } from "../context.js";
import { bounded, connectedSidecarCount, queueDepths } from "./health.js";

/*
 * /metrics in the Prometheus exposition format, per replica. Request latency and open subscriptions are counted by
 * this replica's GraphQL plugin; the rest (queues, sidecars, runs, jobs, log bytes) is read when scraped, from the
 * stores every replica shares, so each replica reports the cluster's figures for those.
 */

/** Operation names come from clients: past this many distinct ones, new names are counted as "other". */
const MAX_OPERATION_LABELS = 200;

export interface Metrics {
  registry: Registry;
  /** times each GraphQL operation and counts open subscriptions */
  plugin: Plugin;
  /** whether the request presents METRICS_TOKEN (a scraper that holds no API key) */
  presentsToken(req: IncomingMessage): boolean;
  serve(res: ServerResponse): Promise<void>;
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

function tokenMatcher(token: string | undefined): (req: IncomingMessage) => boolean {
  if (!token) return () => false;
  const expected = digest(`Bearer ${token}`);
  return (req) => timingSafeEqual(digest(req.headers.authorization ?? ""), expected);
}

function operationLabeller(): (document: DocumentNode, operationName: string | null | undefined) => { operation: string; type: string } {
  const seen = new Set<string>();
  return (document, operationName) => {
    const operation = getOperationAST(document, operationName);
    const name = operation?.name?.value ?? "anonymous";
    if (!seen.has(name) && seen.size < MAX_OPERATION_LABELS) seen.add(name);
    return { operation: seen.has(name) ? name : "other", type: operation?.operation ?? "unknown" };
  };
}

function isAsyncIterable(value: unknown): boolean {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

function graphqlMetrics(registry: Registry): Plugin {
  const latency = new Histogram({
    name: "lora_studio_graphql_request_duration_seconds",
    help: "Time to execute a GraphQL query or mutation, by operation name",
    labelNames: ["operation", "type"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const subscriptions = new Gauge({ name: "lora_studio_graphql_active_subscriptions", help: "GraphQL subscriptions open on this replica", registers: [registry] });
  const labelOf = operationLabeller();
  return {
    onExecute({ args }) {
      const stop = latency.startTimer(labelOf(args.document, args.operationName));
      return { onExecuteDone: () => void stop() };
    },
    onSubscribe() {
      return {
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) return;
          subscriptions.inc();
          return { onEnd: () => subscriptions.dec() };
        },
      };
    },
  };
}

/** A gauge with one value per status, read from the database when scraped. */
function statusGauge(registry: Registry, name: string, help: string, counts: () => Promise<{ status: string; count: number }[]>): void {
  new Gauge({
    name,
    help,
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { status, count } of (await bounded(counts)) ?? []) this.set({ status }, count);
    },
  });
}

function storedStateMetrics(registry: Registry, deps: AppDeps): void {
  const { prisma } = deps.db;
  new Gauge({
    name: "lora_studio_queue_depth",
    help: "Runs and generation jobs waiting for a sidecar, deliveries waiting for an attempt, by queue",
    labelNames: ["queue"],
    registers: [registry],
    async collect() {
      const depths = await queueDepths(deps);
      for (const [queue, depth] of Object.entries(depths)) if (depth !== null) this.set({ queue }, depth);
    },
  });
  new Gauge({
    name: "lora_studio_sidecars_connected",
    help: "Sidecars connected to any replica",
    registers: [registry],
    async collect() {
      const connected = await bounded(() => connectedSidecarCount(deps));
      if (connected !== null) this.set(connected);
    },
  });
  statusGauge(registry, "lora_studio_runs", "Training runs, by status", async () =>
    (await prisma.run.groupBy({ by: ["status"], _count: { _all: true } })).map((group) => ({ status: group.status, count: group._count._all })),
  );
  statusGauge(registry, "lora_studio_generation_jobs", "Generation jobs, by status (their outcomes once terminal)", async () =>
    (await prisma.generationJob.groupBy({ by: ["status"], _count: { _all: true } })).map((group) => ({ status: group.status, count: group._count._all })),
  );
  statusGauge(registry, "lora_studio_deliveries", "Deliveries to external backends, by status", async () =>
    (await prisma.delivery.groupBy({ by: ["status"], _count: { _all: true } })).map((group) => ({ status: group.status, count: group._count._all })),
  );
  new Gauge({
    name: "lora_studio_run_log_bytes",
    help: "Log bytes ingested and stored for the runs that exist",
    registers: [registry],
    async collect() {
      const total = await bounded(() => prisma.run.aggregate({ _sum: { logBytes: true } }));
      if (total) this.set(total._sum.logBytes ?? 0);
    },
  });
}

export function createMetrics(deps: AppDeps): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const plugin = graphqlMetrics(registry);
  storedStateMetrics(registry, deps);
  return {
    registry,
    plugin,
    presentsToken: tokenMatcher(deps.config.metricsToken),
    serve: async (res) => {
      const body = await registry.metrics();
      res.writeHead(200, { "content-type": registry.contentType }).end(body);
    },
  };
}
