import type { Logger } from "pino";
import type { ActivityService } from "../activity/service.js";
import type { Config } from "../config/config.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { Authenticator } from "../auth/authenticator.js";
import { loadSigningKey, UrlSigner } from "../auth/signed-urls.js";
import { ApiKeyService } from "./service.js";

/** Everything access control holds for the process's lifetime. */
export interface AccessControl {
  keys: ApiKeyService;
  authenticator: Authenticator;
  signer: UrlSigner;
  /** an admin key made at this first start, to print once (never logged); null when none was made */
  bootstrapSecret: string | null;
}

export async function createAccessControl(config: Config, deps: { prisma: PrismaClient; activity: ActivityService; logger: Logger }): Promise<AccessControl> {
  const keys = new ApiKeyService(deps);
  const signer = new UrlSigner(await loadSigningKey(deps.prisma), config.signedUrlTtlSeconds);
  return { keys, signer, authenticator: new Authenticator(config, keys), bootstrapSecret: await bootstrapAdminKey(config, keys, deps.logger) };
}

/**
 * ADMIN_API_KEY is stored (hashed) when given; otherwise, with keys required and none stored, the first start makes
 * an admin key and hands its secret back to be shown once on the console.
 */
async function bootstrapAdminKey(config: Config, keys: ApiKeyService, logger: Logger): Promise<string | null> {
  if (config.adminApiKey) {
    await keys.ensure("admin (ADMIN_API_KEY)", ["admin"], config.adminApiKey);
    return null;
  }
  if (config.auth !== "keys" || (await keys.count()) > 0) return null;
  const { key, secret } = await keys.create({ name: "admin (first start)", scopes: ["admin"] });
  logger.warn({ keyId: key.id, prefix: key.prefix }, "no API key was stored: created an admin key, shown once on the console");
  return secret;
}
