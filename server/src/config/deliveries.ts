import { z } from "zod";
import { jsonEnv } from "./json-env.js";

/*
 * Where deliveries may go (DESIGN §10): outbound HTTP only to the hosts an operator lists in
 * DELIVERY_ALLOWED_HOSTS, commands only from the templates listed in DELIVERY_COMMANDS, run without a shell.
 */

/** A host deliveries may reach; `port` null means the URL scheme's default port only. */
export interface AllowedHost {
  hostname: string;
  port: number | null;
}

/** What a command template may say inside one argument; each is replaced within that argument only. */
export const COMMAND_PLACEHOLDERS = ["prompt", "negative_prompt", "params", "delivery_id"] as const;
export type CommandPlaceholder = (typeof COMMAND_PLACEHOLDERS)[number];
export const PLACEHOLDER = /\{([a-z_]+)\}/g;
const DEFAULT_COMMAND_TIMEOUT_SECONDS = 60;
/** the argument after which a program reads every argument as an operand, never as an option */
const END_OF_OPTIONS = "--";
const LEADING_PLACEHOLDER = /^\{[a-z_]+\}/;

/**
 * The arguments (by index; the program itself is 0) that begin with a placeholder before any `--`: a value starting
 * with "-" (a prompt of "--help" or "-o/etc/x") would reach the program there as an option.
 */
export function argumentsReadAsOptions(argv: readonly string[]): number[] {
  const end = argv.indexOf(END_OF_OPTIONS, 1);
  const beforeEnd = end === -1 ? argv.length : end;
  return argv.flatMap((arg, index) => (index > 0 && index < beforeEnd && LEADING_PLACEHOLDER.test(arg) ? [index] : []));
}

function parseAllowedHost(entry: string): AllowedHost | null {
  if (!/^[\w.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(entry)) return null;
  try {
    const url = new URL(`http://${entry}`);
    const explicitPort = /:(\d{1,5})$/.exec(entry)?.[1];
    const port = explicitPort === undefined ? null : Number(explicitPort);
    if (port !== null && (port < 1 || port > 65535)) return null;
    return { hostname: url.hostname, port };
  } catch {
    return null;
  }
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { "http:": 80, "https:": 443 };

export type TargetCheck = { ok: true; url: URL } | { ok: false; message: string };

const shown = (hosts: AllowedHost[]) => hosts.map((h) => (h.port === null ? h.hostname : `${h.hostname}:${h.port}`)).join(", ");

/**
 * Whether the studio may send requests to `text` (a delivery's target, a generation backend): http(s), no credentials,
 * and its host in DELIVERY_ALLOWED_HOSTS. An entry without a port allows the scheme's default port only, so allowing a
 * host never opens its other services.
 */
export function checkTarget(text: string, allowed: AllowedHost[]): TargetCheck {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `${JSON.stringify(text.slice(0, 200))} is not an absolute URL; write it like http://127.0.0.1:7860` };
  }
  const defaultPort = DEFAULT_PORTS[url.protocol];
  if (defaultPort === undefined) return { ok: false, message: `only http and https URLs can be reached, not ${url.protocol}` };
  if (url.username || url.password) return { ok: false, message: "credentials in the URL are not accepted: they would be stored and shown" };
  const port = url.port === "" ? defaultPort : Number(url.port);
  const hostname = url.hostname.toLowerCase();
  if (allowed.some((entry) => entry.hostname === hostname && (entry.port ?? defaultPort) === port)) {
    url.hash = "";
    return { ok: true, url };
  }
  if (allowed.length === 0) return { ok: false, message: "no host is allowed: an operator lists them in DELIVERY_ALLOWED_HOSTS" };
  return { ok: false, message: `host ${url.host} is not in DELIVERY_ALLOWED_HOSTS (allowed: ${shown(allowed)})` };
}

export const allowedHosts = z.string().transform((text, ctx) => {
  const entries = text.split(",").map((part) => part.trim()).filter(Boolean);
  const hosts: AllowedHost[] = [];
  for (const entry of entries) {
    const host = parseAllowedHost(entry);
    if (host) hosts.push(host);
    else ctx.addIssue({ code: "custom", message: `${JSON.stringify(entry)} is not a host or host:port (IPv6 in brackets: [::1]:7860)` });
  }
  return hosts;
});

const commandArgument = z.string().min(1).max(4096).superRefine((arg, ctx) => {
  for (const [, name] of arg.matchAll(PLACEHOLDER)) {
    if (!(COMMAND_PLACEHOLDERS as readonly string[]).includes(name!)) {
      ctx.addIssue({ code: "custom", message: `unknown placeholder {${name}}; known: ${COMMAND_PLACEHOLDERS.map((p) => `{${p}}`).join(", ")}` });
    }
  }
});

const deliveryCommand = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, "name: lower-case letters, digits, - and _, at most 50"),
    command: z
      .array(commandArgument)
      .min(1, "command: the program and its arguments, as an array")
      .max(100)
      .refine((argv) => !/\{[a-z_]+\}/.test(argv[0]!), "command: the program itself cannot hold a placeholder")
      .superRefine((argv, ctx) => {
        for (const index of argumentsReadAsOptions(argv)) {
          const message = `argument ${JSON.stringify(argv[index])} begins with a placeholder, so a value starting with "-" would be read as an option; write it as --flag=${argv[index]} or after a "${END_OF_OPTIONS}" argument`;
          ctx.addIssue({ code: "custom", path: [index], message });
        }
      }),
    timeoutSeconds: z.number().int().positive().max(3600).default(DEFAULT_COMMAND_TIMEOUT_SECONDS),
  })
  .strict();
export type DeliveryCommand = z.infer<typeof deliveryCommand>;

export const deliveryCommands = jsonEnv("a JSON array of {name, command, timeoutSeconds}", z.array(deliveryCommand).max(50))
  .refine((list) => new Set(list.map((c) => c.name)).size === list.length, "command names must be unique");
