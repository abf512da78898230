import type { Client } from "graphql-ws";

/**
 * Waits until a subscription is surely registered on the server, which only an event it delivers proves: `poke` makes
 * one (again every 200 ms) until `arrived` says one came. A fixed sleep would be a guess that a busy machine loses.
 */
export async function untilListening(poke: () => Promise<unknown>, arrived: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!arrived()) {
    if (Date.now() > deadline) throw new Error(`the subscription delivered nothing in ${timeoutMs} ms`);
    await poke();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Collects a subscription's payloads (`pick` takes one from each event's data; by default its only field) until it
 * completes or `until` holds. GraphQL errors reject `done` with them as `errors`.
 */
export function collect<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
  pick: (data: any) => T = (data) => Object.values(data as object)[0] as T,
  until: (items: T[]) => boolean = () => false,
) {
  const items: T[] = [];
  let dispose = () => {};
  const done = new Promise<T[]>((resolve, reject) => {
    dispose = client.subscribe({ query, variables }, {
      next: (value) => {
        if (value.errors) return reject(withErrors(value.errors));
        items.push(pick(value.data));
        if (until(items)) resolve(items);
      },
      error: (error) => reject(Array.isArray(error) ? withErrors(error) : error),
      complete: () => resolve(items),
    });
  });
  return { items, done, dispose: () => dispose() };
}

const withErrors = (errors: readonly unknown[]) => Object.assign(new Error(JSON.stringify(errors)), { errors });
