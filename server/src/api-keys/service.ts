import { createHash, randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { ActivityService } from "../activity/service.js";
import { isUniqueViolation } from "../db/errors.js";
import { BadUserInputError, NotFoundError } from "../errors/domain-errors.js";
import type { ApiKey, ApiKeyScope, PrismaClient } from "../generated/prisma/client.js";
import type { KeyCheck, KeyLookup } from "../auth/authenticator.js";
import type { Principal } from "../auth/principal.js";
import { essentialScopes, grantedScopes, type Scope } from "../auth/scopes.js";

/*
 * API keys as GitHub makes tokens: a recognisable prefix and 32 random bytes, shown once at creation, stored only as
 * a sha256 (the secret has 256 bits of entropy, so a slow hash would add nothing), revocable and optionally expiring.
 */

export const KEY_PREFIX = "lsk_";
/** how much of a secret is kept in clear to tell keys apart in a list */
const SHOWN_PREFIX_LENGTH = KEY_PREFIX.length + 6;
/** how long a key looked up stays cached; revocation on this replica clears it at once */
const CACHE_TTL_MS = 2_000;
/** last-used times are written at most this often per key, not on every request */
const LAST_USED_RESOLUTION_MS = 60_000;

export const secretHash = (secret: string) => createHash("sha256").update(secret).digest("hex");
export const newSecret = () => `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
const toScope = (scope: ApiKeyScope) => scope.toLowerCase() as Scope;
const toStored = (scope: Scope) => scope.toUpperCase() as ApiKeyScope;

export interface NewApiKey {
  name: string;
  scopes: Scope[];
  expiresAt?: Date | null;
}

export function keyStatus(key: Pick<ApiKey, "revokedAt" | "expiresAt">, now = new Date()): "valid" | "revoked" | "expired" {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt <= now) return "expired";
  return "valid";
}

export function principalOfKey(key: Pick<ApiKey, "id" | "name" | "scopes">): Principal {
  return { name: key.name, keyId: key.id, scopes: grantedScopes(key.scopes.map(toScope)), authenticated: true };
}

export function scopesOf(key: Pick<ApiKey, "scopes">): Scope[] {
  return key.scopes.map(toScope);
}

export class ApiKeyService implements KeyLookup {
  private readonly cache = new LRUCache<string, ApiKey | "unknown">({ max: 10_000, ttl: CACHE_TTL_MS });
  private readonly validIds = new LRUCache<string, boolean>({ max: 10_000, ttl: CACHE_TTL_MS });

  constructor(private readonly deps: { prisma: PrismaClient; activity: ActivityService }) {}

  /** A new key; its secret is returned here and never again. */
  async create(input: NewApiKey): Promise<{ key: ApiKey; secret: string }> {
    const name = input.name.trim();
    const fieldErrors = [
      ...(name.length < 1 || name.length > 100 ? [{ field: "name", message: "must be 1 to 100 characters" }] : []),
      ...(input.scopes.length === 0 ? [{ field: "scopes", message: "give at least one scope" }] : []),
      ...(input.expiresAt && input.expiresAt <= new Date() ? [{ field: "expiresAt", message: "must be in the future" }] : []),
    ];
    if (fieldErrors.length) throw new BadUserInputError(fieldErrors.map((e) => `${e.field}: ${e.message}`).join("; "), fieldErrors);
    return this.store(name, essentialScopes(input.scopes), input.expiresAt ?? null, newSecret());
  }

  /** Stores a key whose secret the operator chose (ADMIN_API_KEY) unless it is stored already. */
  async ensure(name: string, scopes: Scope[], secret: string): Promise<void> {
    const existing = await this.deps.prisma.apiKey.findUnique({ where: { secretHash: secretHash(secret) } });
    if (existing) return;
    // another replica starting at the same moment may store it first
    await this.store(name, scopes, null, secret).catch((error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
    });
  }

  private async store(name: string, scopes: Scope[], expiresAt: Date | null, secret: string): Promise<{ key: ApiKey; secret: string }> {
    const key = await this.deps.activity.transaction(this.deps.prisma, async (tx) => {
      const created = await tx.apiKey.create({
        data: { name, scopes: scopes.map(toStored), expiresAt, prefix: secret.slice(0, SHOWN_PREFIX_LENGTH), secretHash: secretHash(secret) },
      });
      return { result: created, event: { type: "api-key.created", message: `API key "${name}" created (${scopes.join(", ")})`, subjectType: "ApiKey", subjectId: created.id } };
    });
    return { key, secret };
  }

  list(): Promise<ApiKey[]> {
    return this.deps.prisma.apiKey.findMany({ orderBy: { createdAt: "desc" } });
  }

  count(): Promise<number> {
    return this.deps.prisma.apiKey.count();
  }

  async revoke(id: string): Promise<ApiKey> {
    const key = await this.deps.prisma.apiKey.findUnique({ where: { id } });
    if (!key) throw new NotFoundError(`no API key with id ${id}`);
    if (key.revokedAt) return key;
    const revoked = await this.deps.activity.transaction(this.deps.prisma, async (tx) => {
      const updated = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
      return { result: updated, event: { type: "api-key.revoked", message: `API key "${key.name}" revoked`, subjectType: "ApiKey", subjectId: id } };
    });
    this.cache.delete(key.secretHash);
    this.validIds.delete(id);
    return revoked;
  }

  /** What a presented secret is worth; cached briefly so a busy client costs one lookup per few seconds. */
  async check(secret: string): Promise<KeyCheck> {
    const hash = secretHash(secret);
    let key = this.cache.get(hash);
    if (key === undefined) {
      key = (await this.deps.prisma.apiKey.findUnique({ where: { secretHash: hash } })) ?? "unknown";
      this.cache.set(hash, key);
    }
    if (key === "unknown") return { status: "unknown" };
    const status = keyStatus(key);
    if (status !== "valid") return { status };
    this.touch(key);
    return { status, principal: principalOfKey(key) };
  }

  /** Whether the key with this id is still usable (for URLs signed for it); cached like `check`. */
  async isUsable(id: string): Promise<boolean> {
    let usable = this.validIds.get(id);
    if (usable === undefined) {
      usable = (await this.invalidAmong([id])).size === 0;
      this.validIds.set(id, usable);
    }
    return usable;
  }

  /** Of the given keys, those revoked or expired by now (read from the database: another replica may have revoked). */
  async invalidAmong(keyIds: string[]): Promise<Set<string>> {
    if (keyIds.length === 0) return new Set();
    const keys = await this.deps.prisma.apiKey.findMany({ where: { id: { in: keyIds } }, select: { id: true, revokedAt: true, expiresAt: true } });
    const now = new Date();
    const valid = new Set(keys.filter((key) => keyStatus(key, now) === "valid").map((key) => key.id));
    return new Set(keyIds.filter((id) => !valid.has(id)));
  }

  private touch(key: ApiKey): void {
    const now = Date.now();
    if (key.lastUsedAt && now - key.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
    key.lastUsedAt = new Date(now);
    void this.deps.prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: key.lastUsedAt } }).catch(() => undefined);
  }
}
