import { onScopeDispose, watch, type Ref } from "vue";

/** What a view keeps open for the selected run: streams, timers, requests in flight. */
export interface RunSession {
  /** the run has ended: stop streaming and read what was stored meanwhile */
  finish(): void;
  /** another run was selected, or the view is gone */
  stop(): void;
}

/** One session per selected run: opened on selection, finished when the run ends, stopped on a switch. */
export function useRunSession(runId: () => string | null, live: () => boolean, open: (id: string) => RunSession): void {
  let session: RunSession | null = null;
  watch(
    () => [runId(), live()] as const,
    ([id, isLive], previous) => {
      if (previous && previous[0] === id) {
        if (previous[1] && !isLive) session?.finish();
        return;
      }
      session?.stop();
      session = id ? open(id) : null;
    },
    { immediate: true },
  );
  onScopeDispose(() => session?.stop());
}

export interface BufferedStream {
  /** unsubscribes, then hands over what is still buffered */
  stop(): void;
}

/** A subscription's items handed over in batches every `flushMs`, so a chatty stream re-renders on a timer, not per item. */
export function bufferedStream<Item>(
  subscribe: (push: (item: Item) => void) => { unsubscribe(): void },
  flushMs: number,
  onBatch: (items: Item[]) => void,
): BufferedStream {
  let buffer: Item[] = [];
  const flush = (): void => {
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    onBatch(batch);
  };
  const subscription = subscribe((item) => buffer.push(item));
  const timer = setInterval(flush, flushMs);
  return {
    stop() {
      subscription.unsubscribe();
      clearInterval(timer);
      flush();
    },
  };
}

/** What a view reads of a run: the stored part, then the live stream from where that ends. */
export interface StoredThenLive {
  readStored(): Promise<void>;
  follow(): BufferedStream;
}

/**
 * A run session that reads what is stored and then, while the run is live, follows its stream; when
 * the run ends the stream stops and the stored part is read once more, for what came meanwhile.
 * `parts` gets `stopped()`, true once another run is selected, to drop answers that come after.
 */
export function storedThenLive(live: () => boolean, loading: Ref<boolean>, parts: (stopped: () => boolean) => StoredThenLive): RunSession {
  let stopped = false;
  let stream: BufferedStream | null = null;
  const { readStored, follow } = parts(() => stopped);
  loading.value = true;
  let work = readStored().then(() => {
    if (stopped) return;
    loading.value = false;
    if (live()) stream = follow();
  });
  return {
    finish() {
      work = work.then(() => {
        stream?.stop();
        stream = null;
        return readStored();
      });
    },
    stop() {
      stopped = true;
      stream?.stop();
      stream = null;
      loading.value = false;
    },
  };
}
