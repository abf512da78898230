import { createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { MAX_FAILED_ATTEMPTS_PER_MINUTE } from "../../src/auth/authenticator.js";
import { startTestApp, type TestApp } from "../harness.js";

describe("failed attempts", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.close());

  const guess = (secret: string) =>
    fetch(`${app.url}/graphql`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${secret}` }, body: JSON.stringify({ query: "{ version }" }) });

  it(`refuses an address with 429 after ${MAX_FAILED_ATTEMPTS_PER_MINUTE} failures a minute, on every transport, even with a good key`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i < MAX_FAILED_ATTEMPTS_PER_MINUTE; i += 1) statuses.push((await guess(`lsk_guess-${i}-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`)).status);
    expect(new Set(statuses)).toEqual(new Set([401]));
    const blocked = await guess("lsk_one-more-guess-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await blocked.json()).toMatchObject({ errors: [{ extensions: { code: "RATE_LIMITED" } }] });
    expect((await guess(app.headers.authorization!.slice("Bearer ".length))).status, "a key is not even checked while blocked").toBe(429);

    const file = await fetch(`${app.url}/runs/x/log`, { headers: { authorization: "Bearer lsk_nope" } });
    expect(file.status).toBe(429);
    const closed = await new Promise<number>((resolve) => {
      const ws = createClient({ url: `${app.url.replace("http", "ws")}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: "Bearer lsk_nope" }, on: { closed: (event) => resolve((event as CloseEvent).code) } });
      ws.subscribe({ query: "subscription { activity { id } }" }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    });
    expect(closed).toBe(4429);
  });

  it("does not count requests that present no key", async () => {
    const other = await startTestApp();
    try {
      for (let i = 0; i < MAX_FAILED_ATTEMPTS_PER_MINUTE + 5; i += 1) {
        const res = await fetch(`${other.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ viewer { authenticated } }" }) });
        expect(res.status).toBe(200);
      }
      expect((await other.gql("{ viewer { name } }")).data.viewer.name).toBe("admin (ADMIN_API_KEY)");
    } finally {
      await other.close();
    }
  });
});
