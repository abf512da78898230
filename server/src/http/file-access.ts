import type { IncomingMessage, ServerResponse } from "node:http";
import type { Scope } from "../auth/scopes.js";
import type { AppDeps } from "../context.js";

/*
 * File routes sit outside GraphQL, behind the same scopes: a bearer key with the scope, or (for `read`) a URL the API
 * signed for this path. An answer that refuses carries a code, as GraphQL errors do.
 */

export function sendRefusal(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, "content-type": "application/json" }).end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/** Whether the request may have the file; when not, the refusal has been sent. */
export async function authorizeFile(deps: AppDeps, req: IncomingMessage, res: ServerResponse, needed: Scope): Promise<boolean> {
  const { authenticator, signer } = deps.access;
  const address = req.socket.remoteAddress ?? "unknown";
  const url = new URL(req.url ?? "/", "http://localhost");
  const signature = signer.verify(url.pathname, url.searchParams);
  const signed = needed === "read" && !(!signature.ok && signature.reason === "missing");
  const result = signed ? await authenticator.checkSignature(signature, address) : await authenticator.authenticate(req.headers.authorization, address);
  if (!result.ok) {
    if (result.reason === "rate-limited") sendRefusal(res, 429, "RATE_LIMITED", result.message, { "retry-after": String(result.retryAfterSeconds ?? 60) });
    else if (signed) sendRefusal(res, 403, "FORBIDDEN", result.message);
    else sendRefusal(res, 401, "UNAUTHENTICATED", result.message);
    return false;
  }
  if (result.principal.scopes.has(needed)) return true;
  if (result.principal.authenticated) sendRefusal(res, 403, "FORBIDDEN", `this file needs a key with the ${needed} scope`);
  else sendRefusal(res, 401, "UNAUTHENTICATED", `this file needs an API key with the ${needed} scope, or a signed URL from the API`);
  return false;
}
