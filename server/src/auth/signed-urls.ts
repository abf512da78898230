import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client.js";

/*
 * Media elements (<audio>, <img>, a download link) cannot send an Authorization header, so the GraphQL fields that
 * name a file hand out its path signed: `?expires=<unix seconds>&key=<key id>&signature=<HMAC-SHA256>` over the path,
 * the expiry and the key. A signature is good for that path only, until it expires, and while its key is valid.
 */

const SECRET_NAME = "signed-url-key";

export interface SignedUrlClaims {
  path: string;
  /** the API key the URL was made for; "" when authentication is off */
  keyId: string;
  expiresAt: number;
}

export type SignatureCheck = { ok: true; keyId: string } | { ok: false; reason: "missing" | "expired" | "invalid" };

/** The signing key every replica shares: made once and stored in the database. */
export async function loadSigningKey(prisma: PrismaClient): Promise<Buffer> {
  await prisma.serverSecret.createMany({ data: [{ name: SECRET_NAME, value: randomBytes(32).toString("base64url") }], skipDuplicates: true });
  const stored = await prisma.serverSecret.findUniqueOrThrow({ where: { name: SECRET_NAME } });
  return Buffer.from(stored.value, "base64url");
}

export class UrlSigner {
  constructor(
    private readonly key: Buffer,
    private readonly ttlSeconds: number,
  ) {}

  sign(path: string, keyId: string | null, now = Date.now()): string {
    const expiresAt = Math.floor(now / 1000) + this.ttlSeconds;
    const claims = { path, keyId: keyId ?? "", expiresAt };
    const query = new URLSearchParams({ expires: String(expiresAt), ...(claims.keyId ? { key: claims.keyId } : {}), signature: this.mac(claims) });
    return `${path}?${query}`;
  }

  verify(path: string, query: URLSearchParams, now = Date.now()): SignatureCheck {
    const signature = query.get("signature");
    const expires = query.get("expires");
    if (!signature || !expires) return { ok: false, reason: "missing" };
    const claims = { path, keyId: query.get("key") ?? "", expiresAt: Number(expires) };
    if (!Number.isSafeInteger(claims.expiresAt) || !this.matches(signature, this.mac(claims))) return { ok: false, reason: "invalid" };
    if (claims.expiresAt * 1000 <= now) return { ok: false, reason: "expired" };
    return { ok: true, keyId: claims.keyId };
  }

  private mac({ path, keyId, expiresAt }: SignedUrlClaims): string {
    return createHmac("sha256", this.key).update(`${path}\n${keyId}\n${expiresAt}`).digest("base64url");
  }

  private matches(presented: string, expected: string): boolean {
    const a = Buffer.from(presented);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
