import { createHash, timingSafeEqual } from "node:crypto";
import { GraphQLError } from "graphql";

/*
 * Who is calling. Sidecars present the sidecar token as `Authorization: Bearer <token>` on HTTP, or as the
 * `authorization` connection parameter on WebSocket; the operations only sidecars may call check it.
 */

export interface Principal {
  sidecar: boolean;
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Compares digests, so neither the token's length nor its prefix leaks through timing. */
function sameToken(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

export function bearerToken(authorization: unknown): string | null {
  if (typeof authorization !== "string") return null;
  const match = /^Bearer\s+(\S{1,1024})$/i.exec(authorization.trim());
  return match ? match[1]! : null;
}

export function principalOf(authorization: unknown, sidecarToken: string): Principal {
  const token = bearerToken(authorization);
  return { sidecar: token !== null && sameToken(token, sidecarToken) };
}

export function requireSidecar(principal: Principal): void {
  if (!principal.sidecar) {
    throw new GraphQLError("this operation is for sidecars: present the sidecar token", { extensions: { code: "UNAUTHENTICATED" } });
  }
}
