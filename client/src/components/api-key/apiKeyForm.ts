import type { ApiKeyRowFragment, ApiKeyScope, CreateApiKeyInput } from "../../gql/graphql";

/** The scopes a key can be given, broadest of the product's first, each with what it allows. */
export const SCOPE_OPTIONS: readonly { scope: ApiKeyScope; label: string; explain: string }[] = [
  { scope: "READ", label: "Read", explain: "see everything, play and download files" },
  { scope: "WRITE", label: "Write", explain: "read, and every change: upload, train, generate, rate, delete" },
  { scope: "ADMIN", label: "Admin", explain: "write, and manage API keys" },
  { scope: "SIDECAR", label: "Sidecar", explain: "for a sidecar process on a GPU machine: its jobs and reports, nothing else" },
];

/** What each scope brings with it (as the API grants them). */
const IMPLIED: Record<ApiKeyScope, readonly ApiKeyScope[]> = { READ: [], WRITE: ["READ"], ADMIN: ["WRITE", "READ"], SIDECAR: [] };

/** The chosen scope that already grants `scope`, if any: its checkbox shows checked and cannot be cleared alone. */
export function impliedBy(scope: ApiKeyScope, chosen: readonly ApiKeyScope[]): ApiKeyScope | null {
  return chosen.find((other) => other !== scope && IMPLIED[other].includes(scope)) ?? null;
}

export interface ApiKeyForm {
  name: string;
  scopes: ApiKeyScope[];
  /** the last day the key works (a date picker's local midnight, in ms), or null for no expiry */
  lastDay: number | null;
}

export function emptyApiKeyForm(): ApiKeyForm {
  return { name: "", scopes: ["READ"], lastDay: null };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The moment a key whose last day is `lastDay` stops working: the start of the next day, local time. */
export function expiryAfter(lastDay: number): string {
  const next = new Date(lastDay + DAY_MS + 2 * 60 * 60 * 1000);
  next.setHours(0, 0, 0, 0);
  return next.toISOString();
}

/** Whether a day may be picked as the last one: today or later. */
export function isSelectableLastDay(day: number, now: number): boolean {
  const today = new Date(now);
  today.setHours(0, 0, 0, 0);
  return day >= today.getTime();
}

export function apiKeyInput(form: ApiKeyForm): CreateApiKeyInput {
  return { name: form.name.trim(), scopes: form.scopes, expiresAt: form.lastDay === null ? null : expiryAfter(form.lastDay) };
}

export type ApiKeyStatus = "ACTIVE" | "REVOKED" | "EXPIRED";

export function apiKeyStatus(key: Pick<ApiKeyRowFragment, "revokedAt" | "expiresAt">, now: number): ApiKeyStatus {
  if (key.revokedAt) return "REVOKED";
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return "EXPIRED";
  return "ACTIVE";
}
