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
