import type { IncomingMessage } from "node:http";

/*
 * Which Host headers and Origins this server answers, as MLflow 3's host and CORS validation middleware does. A Host
 * outside the list is refused (a DNS-rebinding page reaches 127.0.0.1 under its own name); an Origin other than the
 * server's own or a listed one never gets its request run, its WebSocket opened or a CORS grant.
 */

export interface NetworkPolicy {
  allowedHosts: string[];
  /** the server's own public origin (PUBLIC_URL), when it sits behind a proxy */
  publicOrigin: string | null;
  corsOrigins: string[];
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];
const WILDCARD_BINDS = ["0.0.0.0", "::", "[::]"];

/** ALLOWED_HOSTS when set; else the loopback names with the port, the bound address and PUBLIC_URL's host. */
export function defaultAllowedHosts(options: { port: number; bindHost: string; publicUrl: string | null }): string[] {
  const bound = WILDCARD_BINDS.includes(options.bindHost) || LOOPBACK_NAMES.includes(options.bindHost) ? [] : [bracketed(options.bindHost)];
  const names = [...LOOPBACK_NAMES, ...bound].map((name) => `${name}:${options.port}`);
  return options.publicUrl ? [...names, new URL(options.publicUrl).host] : names;
}

const bracketed = (host: string) => (host.includes(":") && !host.startsWith("[") ? `[${host}]` : host);

/** "name:port" → ["name", "port"]; IPv6 literals keep their brackets. */
function splitHost(value: string): [string, string | null] {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(value.toLowerCase());
  return match ? [match[1]!, match[2] ?? null] : [value.toLowerCase(), null];
}

/** An entry is `*`, `host` (any port), `host:port`, or `*.domain` (its subdomains, with or without a port). */
function hostMatches(entry: string, host: string): boolean {
  if (entry === "*") return true;
  const [entryName, entryPort] = splitHost(entry);
  const [name, port] = splitHost(host);
  if (entryPort !== null && entryPort !== port) return false;
  if (entryName.startsWith("*.")) return name.endsWith(entryName.slice(1));
  return entryName === name;
}

export function hostAllowed(policy: NetworkPolicy, host: string | undefined): boolean {
  return host !== undefined && policy.allowedHosts.some((entry) => hostMatches(entry, host));
}

/** No Origin (a program, not a browser page) or the server's own or a listed one. */
export function originAllowed(policy: NetworkPolicy, req: Pick<IncomingMessage, "headers">): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return isOwnOrigin(policy, origin, req.headers.host) || policy.corsOrigins.includes(origin);
}

function isOwnOrigin(policy: NetworkPolicy, origin: string, host: string | undefined): boolean {
  if (origin === policy.publicOrigin) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === "http:" || url.protocol === "https:") && url.host === host;
  } catch {
    return false;
  }
}
