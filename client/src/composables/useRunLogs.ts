import { ref } from "vue";
import { useClientHandle } from "@urql/vue";
import { graphql } from "../gql/gql";
import { bufferedStream, storedThenLive, useRunSession } from "./liveRunSession";

const RunLogPageDocument = graphql(`
  query RunLogPage($id: ID!, $afterSeq: Int!, $first: Int!) {
    run(id: $id) {
      id
      logs(afterSeq: $afterSeq, first: $first) {
        seq
        data
      }
    }
  }
`);

const RunLogStreamDocument = graphql(`
  subscription RunLogStream($runId: ID!, $afterSeq: Int!) {
    runLogs(runId: $runId, afterSeq: $afterSeq) {
      seq
      data
    }
  }
`);

export const LOG_PAGE_SIZE = 1000;
/** Live chunks reach the terminal in batches this often, not one write per chunk. */
export const LOG_FLUSH_MS = 100;

interface LogChunk {
  seq: number;
  data: string;
}

/** Where the log goes: raw chunks, carriage returns and ANSI escapes included, as a terminal takes them. */
export interface LogSink {
  reset(): void;
  write(text: string): void;
}

/** The text that continues a log after `lastSeq`, and the new last seq; a chunk already written is dropped. */
export function continueLog(lastSeq: number, chunks: readonly LogChunk[]): { text: string; lastSeq: number } {
  let last = lastSeq;
  let text = "";
  for (const chunk of chunks) {
    if (chunk.seq <= last) continue;
    text += chunk.data;
    last = chunk.seq;
  }
  return { text, lastSeq: last };
}

/**
 * A run's log written into `sink`: the stored history page by page, then (while the run is live) the
 * runLogs stream from the last seq, so nothing is written twice or skipped. Switching runs resets the
 * sink; when the run ends the stream stops and whatever was stored meanwhile is read once more.
 */
export function useRunLogs(runId: () => string | null, live: () => boolean, sink: LogSink) {
  const { client } = useClientHandle();
  const loading = ref(false);
  const error = ref<string | null>(null);

  function open(id: string) {
    let lastSeq = 0;
    sink.reset();
    error.value = null;

    function append(chunks: readonly LogChunk[]): void {
      const next = continueLog(lastSeq, chunks);
      lastSeq = next.lastSeq;
      if (next.text) sink.write(next.text);
    }

    return storedThenLive(live, loading, (stopped) => ({
      async readStored() {
        while (!stopped()) {
          const variables = { id, afterSeq: lastSeq, first: LOG_PAGE_SIZE };
          const result = await client.query(RunLogPageDocument, variables, { requestPolicy: "network-only" }).toPromise();
          if (stopped()) return;
          if (result.error) {
            error.value = result.error.message;
            return;
          }
          const page = result.data?.run?.logs ?? [];
          append(page);
          if (page.length < LOG_PAGE_SIZE) return;
        }
      },
      follow() {
        const subscribe = (push: (chunk: LogChunk) => void) =>
          client.subscription(RunLogStreamDocument, { runId: id, afterSeq: lastSeq }).subscribe((result) => {
            if (result.data) push(result.data.runLogs);
          });
        return bufferedStream(subscribe, LOG_FLUSH_MS, append);
      },
    }));
  }

  useRunSession(runId, live, open);
  return { loading, error };
}
