import { createClient } from "graphql-ws";
import { WebSocket } from "ws";
import type { TestApp } from "./harness.js";
import { collect } from "./subscriptions.js";

/*
 * A sidecar played by a test over the sidecar's own protocol (DESIGN §6): it registers, takes commands from its
 * subscription and reports by mutation, so a test can arrange exactly which sidecar holds what and when it goes away.
 */

export interface ProtocolSidecarOptions {
  name: string;
  executionProviders?: string[];
  trainers?: string[];
  baseModels?: string[];
  concurrency?: number;
  generationSlots?: number;
}

export interface Command {
  kind: string;
  runId: string | null;
  generation: { jobId: string } | null;
}

export type ProtocolSidecar = Awaited<ReturnType<typeof connectProtocolSidecar>>;

/** Posts a GraphQL operation with the app's sidecar token. */
export async function asSidecar<T = any>(app: TestApp, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(`${app.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${app.deps.config.sidecarToken}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
}

export async function connectProtocolSidecar(app: TestApp, options: ProtocolSidecarOptions) {
  const { executionProviders = ["CPU"], trainers = ["tunes"], baseModels = ["tunes-s", "tunes-m"], concurrency = 1, generationSlots = 0 } = options;
  const { data, errors } = await asSidecar(app, `mutation($input: RegisterSidecarInput!) { registerSidecar(input: $input) { id } }`, {
    input: { name: options.name, executionProviders, baseModels, trainers, concurrency },
  });
  if (errors) throw new Error(JSON.stringify(errors));
  const id = data.registerSidecar.id as string;
  const client = createClient({
    url: `${app.url.replace("http", "ws")}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${app.deps.config.sidecarToken}` },
  });
  const commands = collect<Command>(
    client,
    `subscription($id: ID!, $slots: Int!) { sidecarCommands(sidecarId: $id, generationSlots: $slots) { kind runId generation { jobId } } }`,
    { id, slots: generationSlots },
    (d) => d.sidecarCommands,
  );
  return {
    id,
    commands: commands.items,
    /** disconnects: to the API, the sidecar went away */
    close: () => client.dispose(),
  };
}
