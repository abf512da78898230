import { createHash, timingSafeEqual } from "node:crypto";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { Config } from "../config/config.js";
import { grantedScopes } from "./scopes.js";
import type { SignatureCheck } from "./signed-urls.js";
import { ANONYMOUS, LOCAL, SIDECAR_TOKEN_HOLDER, combined, type Principal } from "./principal.js";

export type KeyCheck = { status: "valid"; principal: Principal } | { status: "unknown" | "revoked" | "expired" };

/** Where API keys are looked up (the api-keys domain): a presented secret, and a key by id for signed URLs. */
export interface KeyLookup {
  check(secret: string): Promise<KeyCheck>;
  isUsable(id: string): Promise<boolean>;
}

/*
 * Turns what a request presents (a bearer secret, or nothing) into a Principal, the same way for HTTP, SSE, WebSocket
 * and file routes. Failed attempts are counted per client address: after 20 in a minute, that address is refused
 * (429) until the minute has passed, so secrets cannot be guessed at speed.
 */

export const MAX_FAILED_ATTEMPTS_PER_MINUTE = 20;

export type Authentication =
  | { ok: true; principal: Principal }
  | { ok: false; reason: "unknown" | "revoked" | "expired" | "rate-limited"; message: string; retryAfterSeconds?: number };

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Compares digests, so neither the token's length nor its prefix leaks through timing. */
function sameSecret(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The secret of an `Authorization: Bearer <secret>` header (or connection parameter); null when absent or malformed. */
export function bearerSecret(authorization: unknown): string | null {
  if (typeof authorization !== "string") return null;
  const match = /^Bearer\s+(\S{1,1024})$/i.exec(authorization.trim());
  return match ? match[1]! : null;
}

const REFUSALS = {
  unknown: "the API key is not valid",
  revoked: "the API key was revoked",
  expired: "the API key has expired",
} as const;

const SIGNATURE_REFUSALS = {
  unknown: "the file URL's signature is not valid for this path",
  revoked: "the API key this file URL was signed for was revoked",
  expired: "the file URL has expired: ask the API for a fresh one",
} as const;

export class Authenticator {
  private readonly failures = new RateLimiterMemory({ points: MAX_FAILED_ATTEMPTS_PER_MINUTE, duration: 60 });

  constructor(
    private readonly config: Pick<Config, "auth" | "sidecarToken">,
    private readonly keys: KeyLookup,
  ) {}

  get keysRequired(): boolean {
    return this.config.auth === "keys";
  }

  /** Who presents `authorization` from `clientAddress`. Nothing presented is anonymous (or local with AUTH=off). */
  async authenticate(authorization: unknown, clientAddress: string): Promise<Authentication> {
    const base = this.keysRequired ? ANONYMOUS : LOCAL;
    const secret = bearerSecret(authorization);
    if (secret === null) return { ok: true, principal: base };
    const blocked = await this.failures.get(clientAddress);
    if (blocked && blocked.consumedPoints >= MAX_FAILED_ATTEMPTS_PER_MINUTE) return this.rateLimited(blocked.msBeforeNext);
    if (sameSecret(secret, this.config.sidecarToken)) return { ok: true, principal: combined(base, SIDECAR_TOKEN_HOLDER) };
    const check = await this.keys.check(secret);
    if (check.status === "valid") return { ok: true, principal: combined(base, check.principal) };
    await this.failures.consume(clientAddress).catch(() => undefined);
    return { ok: false, reason: check.status, message: REFUSALS[check.status] };
  }

  /** A signed file URL's verdict: good while its key is; a bad signature counts as a failed attempt. */
  async checkSignature(check: SignatureCheck, clientAddress: string): Promise<Authentication> {
    // a URL signed for no key (authentication off) is good only while authentication stays off
    if (check.ok && (check.keyId === "" ? !this.keysRequired : await this.keys.isUsable(check.keyId))) {
      return { ok: true, principal: { name: "signed URL", keyId: check.keyId || null, scopes: grantedScopes(["read"]), authenticated: true } };
    }
    if (!check.ok && check.reason === "invalid") await this.failures.consume(clientAddress).catch(() => undefined);
    const reason = check.ok ? "revoked" : check.reason === "expired" ? "expired" : "unknown";
    return { ok: false, reason, message: SIGNATURE_REFUSALS[reason] };
  }

  private rateLimited(msBeforeNext: number): Authentication {
    const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
    return { ok: false, reason: "rate-limited", message: `too many failed attempts from this address; try again in ${retryAfterSeconds} s`, retryAfterSeconds };
  }
}
