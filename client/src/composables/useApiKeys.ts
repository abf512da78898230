import { useMutation, useQuery } from "@urql/vue";
import { useDialog, useMessage } from "naive-ui";
import { computed } from "vue";
import { failureOfMutation, payloadOutcome, type PayloadOutcome } from "../api/mutationFailure";
import { graphql } from "../gql/gql";
import type { ApiKeyRowFragment, CreateApiKeyInput } from "../gql/graphql";

graphql(`
  fragment ApiKeyRow on ApiKey {
    id
    name
    prefix
    scopes
    createdAt
    lastUsedAt
    expiresAt
    revokedAt
  }
`);

const ApiKeysDocument = graphql(`
  query ApiKeys {
    apiKeys {
      ...ApiKeyRow
    }
  }
`);

const CreateApiKeyDocument = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      __typename
      ... on CreateApiKeySuccess {
        secret
        apiKey {
          ...ApiKeyRow
        }
      }
      ...MutationFailureFields
    }
  }
`);

const RevokeApiKeyDocument = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      __typename
      ... on RevokeApiKeySuccess {
        apiKey {
          ...ApiKeyRow
        }
      }
      ...MutationFailureFields
    }
  }
`);

/** Every key, newest first, revoked ones included; refetched after one is created. */
export function useApiKeyList() {
  const query = useQuery({
    query: ApiKeysDocument,
    requestPolicy: "cache-and-network",
  });
  return {
    keys: computed(() => query.data.value?.apiKeys ?? []),
    loaded: computed(() => query.data.value !== undefined),
    fetching: query.fetching,
    error: query.error,
  };
}

export interface CreatedApiKey {
  apiKey: ApiKeyRowFragment;
  /** the key itself: the API shows it this once */
  secret: string;
}

export function useApiKeyCreation() {
  const { executeMutation } = useMutation(CreateApiKeyDocument);
  return async (input: CreateApiKeyInput): Promise<PayloadOutcome<CreatedApiKey>> => {
    const result = await executeMutation({ input });
    const union = result.data?.createApiKey;
    return payloadOutcome(result.error, union, union?.__typename === "CreateApiKeySuccess" ? { apiKey: union.apiKey, secret: union.secret } : undefined);
  };
}

/** Revocation behind a confirmation dialog, which warns when it is the key this browser is signed in with. */
export function useApiKeyRevocation(signedInKeyId: () => string | null) {
  const dialog = useDialog();
  const message = useMessage();
  const { executeMutation } = useMutation(RevokeApiKeyDocument);

  async function revoke(key: ApiKeyRowFragment): Promise<void> {
    const result = await executeMutation({ id: key.id });
    const failure = failureOfMutation(result.error, result.data?.revokeApiKey);
    if (failure) message.error(`Could not revoke "${key.name}": ${failure.message}`);
    else message.success(`Revoked "${key.name}"`);
  }

  function confirmRevoke(key: ApiKeyRowFragment): void {
    const own = key.id === signedInKeyId();
    dialog.warning({
      title: `Revoke "${key.name}"?`,
      content: `It stops working at once, everywhere: requests with it are refused and its open connections close. This cannot be undone.${
        own ? " It is the key this browser is signed in with: you will be signed out." : ""
      }`,
      positiveText: "Revoke",
      negativeText: "Cancel",
      positiveButtonProps: { type: "error" },
      negativeButtonProps: { type: "default" },
      onPositiveClick: () => revoke(key),
    });
  }

  return { confirmRevoke };
}
