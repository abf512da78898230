import { computed, ref, shallowRef, type ComputedRef } from "vue";
import { needsSignIn, signedOutReason, signInFailure, signInRefusal } from "../api/access";
import { createApiConnection, type ApiConnection } from "../api/client";
import { API_KEY_STORAGE_KEY } from "../api/credentials";
import { graphql } from "../gql/gql";
import type { ViewerFieldsFragment } from "../gql/graphql";

graphql(`
  fragment ViewerFields on Viewer {
    authMode
    authenticated
    name
    keyId
    scopes
  }
`);

const ViewerDocument = graphql(`
  query Viewer {
    viewer {
      ...ViewerFields
    }
  }
`);

type KeyValueStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

function readApiKey(storage: KeyValueStorage): string | null {
  return storage.getItem(API_KEY_STORAGE_KEY)?.trim() || null;
}

export interface Session {
  /** the urql client of the current key; replaced (with a fresh cache and socket) when the key changes */
  client: ComputedRef<ApiConnection["client"]>;
  /** a fetch that presents the current key, for the multipart uploads urql cannot send */
  fetch: typeof fetch;
  /** the caller as the API last said; null until asked */
  viewer: ComputedRef<ViewerFieldsFragment | null>;
  /** why the sign-in page is shown, when a key that was in use stopped working */
  signInReason: ComputedRef<string | null>;
  signInNeeded: ComputedRef<boolean>;
  /** the viewer, asked for once when not known yet */
  ensureViewer(): Promise<ViewerFieldsFragment | null>;
  /** null once signed in with `key`; else why the key was not taken (nothing is stored then) */
  signIn(key: string): Promise<string | null>;
  signOut(): void;
  followStoredKey(): void;
}

/**
 * The API key this browser signs in with, and the connection that presents it. A key is stored only after the API
 * has answered `viewer` for it; a refusal of the key in use (HTTP 401, or a socket closed 4401/4403 that HTTP then
 * confirms) forgets it and says why on the sign-in page.
 */
export function createSession(storage: KeyValueStorage): Session {
  const viewer = ref<ViewerFieldsFragment | null>(null);
  const signInReason = ref<string | null>(null);
  const connection = shallowRef<ApiConnection>(connect(readApiKey(storage)));
  let viewerRequest: { asked: ApiConnection; answered: Promise<void> } | null = null;

  function connect(apiKey: string | null): ApiConnection {
    const created: ApiConnection = createApiConnection(apiKey, {
      onKeyRefused: (reason) => {
        if (connection.value === created) keyRefused(reason);
      },
      onKeyChallenged: () => {
        if (connection.value === created) void loadViewer();
      },
    });
    return created;
  }

  function replaceConnection(next: ApiConnection): void {
    connection.value.dispose();
    connection.value = next;
  }

  /** Asks the API who the current key is: one request per connection at a time, its answer dropped if the key changed meanwhile. */
  function loadViewer(): Promise<void> {
    const asked = connection.value;
    if (viewerRequest?.asked === asked) return viewerRequest.answered;
    const request = {
      asked,
      answered: (async () => {
        const result = await asked.client.query(ViewerDocument, {}, { requestPolicy: "network-only" }).toPromise();
        if (connection.value === asked && result.data) viewer.value = result.data.viewer;
      })().finally(() => {
        if (viewerRequest === request) viewerRequest = null;
      }),
    };
    viewerRequest = request;
    return request.answered;
  }

  function keyRefused(reason: string): void {
    if (connection.value.apiKey !== null) {
      storage.removeItem(API_KEY_STORAGE_KEY);
      signInReason.value = signedOutReason(reason);
      replaceConnection(connect(null));
      viewer.value = null;
    }
    void loadViewer();
  }

  async function ensureViewer(): Promise<ViewerFieldsFragment | null> {
    // a stored key refused on the first try leaves an anonymous connection to ask again
    for (let attempt = 0; attempt < 2 && viewer.value === null; attempt++) await loadViewer();
    return viewer.value;
  }

  async function signIn(key: string): Promise<string | null> {
    const candidate = connect(key.trim());
    const result = await candidate.client.query(ViewerDocument, {}, { requestPolicy: "network-only" }).toPromise();
    const refusal = result.error ? signInFailure(result.error) : result.data ? signInRefusal(result.data.viewer) : "The server did not answer.";
    if (refusal || !result.data) {
      candidate.dispose();
      return refusal;
    }
    storage.setItem(API_KEY_STORAGE_KEY, key.trim());
    replaceConnection(candidate);
    viewer.value = result.data.viewer;
    signInReason.value = null;
    return null;
  }

  /** Presents `apiKey` from now on and asks who that is. */
  function switchKey(apiKey: string | null): void {
    signInReason.value = null;
    replaceConnection(connect(apiKey));
    viewer.value = null;
    void loadViewer();
  }

  function signOut(): void {
    storage.removeItem(API_KEY_STORAGE_KEY);
    switchKey(null);
  }

  /** Another tab signed in or out: this one follows. */
  function followStoredKey(): void {
    const stored = readApiKey(storage);
    if (stored !== connection.value.apiKey) switchKey(stored);
  }

  return {
    client: computed(() => connection.value.client),
    fetch: (input, init) => connection.value.fetch(input, init),
    viewer: computed(() => viewer.value),
    signInReason: computed(() => signInReason.value),
    signInNeeded: computed(() => needsSignIn(viewer.value)),
    ensureViewer,
    signIn,
    signOut,
    followStoredKey,
  };
}

let shared: Session | undefined;

/** The browser's one session: every page, the router and the urql plugin share it. */
export function useSession(): Session {
  if (shared) return shared;
  const session = createSession(window.localStorage);
  window.addEventListener("storage", (event) => {
    if (event.key === API_KEY_STORAGE_KEY) session.followStoredKey();
  });
  shared = session;
  return session;
}
