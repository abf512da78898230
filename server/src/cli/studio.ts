import { parseArgs } from "node:util";
import { ActivityService } from "../activity/service.js";
import { ApiKeyService } from "../api-keys/service.js";
import { SCOPES, type Scope } from "../auth/scopes.js";
import { ConfigError, loadConfig } from "../config/config.js";
import { openDatabase } from "../db/client.js";
import { DomainError } from "../errors/domain-errors.js";
import { createEventBus } from "../pubsub/pubsub.js";

/*
 * The operator's command line, working on the database directly (the same DATABASE_URL / DATA_DIR as the server):
 *   pnpm studio keys create --name ci --scopes read,write [--expires 2027-01-31]
 *   pnpm studio keys list
 *   pnpm studio keys revoke <id or prefix>
 * With the embedded database, stop the server first: PGlite has no lock between processes.
 */

const USAGE = `usage:
  studio keys create --name NAME --scopes read,write,admin,sidecar [--expires DATE]
  studio keys list
  studio keys revoke ID_OR_PREFIX`;

class UsageError extends Error {}

function parseScopes(text: string | undefined): Scope[] {
  const scopes = (text ?? "").split(",").map((scope) => scope.trim().toLowerCase()).filter(Boolean);
  const unknown = scopes.filter((scope) => !(SCOPES as readonly string[]).includes(scope));
  if (scopes.length === 0 || unknown.length) throw new UsageError(`--scopes takes a comma-separated list of ${SCOPES.join(", ")}${unknown.length ? ` (not ${unknown.join(", ")})` : ""}`);
  return scopes as Scope[];
}

function parseExpiry(text: string | undefined): Date | null {
  if (text === undefined) return null;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--expires takes a date such as 2027-01-31 or 2027-01-31T12:00:00Z (not ${text})`);
  return date;
}

const shown = (date: Date | null) => (date ? date.toISOString().replace(/\.\d{3}Z$/, "Z") : "-");

async function run(keys: ApiKeyService, args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { name: { type: "string" }, scopes: { type: "string" }, expires: { type: "string" } } });
  const [group, command, target] = positionals;
  if (group !== "keys") throw new UsageError(USAGE);
  if (command === "create") {
    if (!values.name) throw new UsageError("--name is required");
    const { key, secret } = await keys.create({ name: values.name, scopes: parseScopes(values.scopes), expiresAt: parseExpiry(values.expires) });
    process.stdout.write(`created API key "${key.name}" (${key.id}) with scopes ${key.scopes.join(", ").toLowerCase()}\nits secret, shown this once:\n\n  ${secret}\n\n`);
  } else if (command === "list") {
    for (const key of await keys.list()) {
      const state = key.revokedAt ? `revoked ${shown(key.revokedAt)}` : key.expiresAt && key.expiresAt <= new Date() ? "expired" : "active";
      process.stdout.write(`${key.id}  ${key.prefix}…  ${key.name}  [${key.scopes.join(",").toLowerCase()}]  created ${shown(key.createdAt)}  last used ${shown(key.lastUsedAt)}  expires ${shown(key.expiresAt)}  ${state}\n`);
    }
  } else if (command === "revoke" && target) {
    const key = (await keys.list()).find((k) => k.id === target || k.prefix === target || k.prefix === target.replace(/…$/, ""));
    if (!key) throw new UsageError(`no API key with id or prefix ${target}`);
    await keys.revoke(key.id);
    process.stdout.write(`revoked API key "${key.name}" (${key.id})\n`);
  } else {
    throw new UsageError(USAGE);
  }
}

async function main(): Promise<void> {
  // pnpm runs package scripts in server/; relative DATA_DIR and the like mean the directory the command was typed in
  if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir });
  try {
    await run(new ApiKeyService({ prisma: db.prisma, activity: new ActivityService(createEventBus()) }), process.argv.slice(2));
  } finally {
    await db.close();
  }
}

await main().catch((error: unknown) => {
  if (!(error instanceof UsageError || error instanceof ConfigError || error instanceof DomainError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
});
