import { computed, watch, type Ref } from "vue";
import { useMutation, useQuery, useSubscription } from "@urql/vue";
import { payloadOutcome, type PayloadOutcome } from "../api/mutationFailure";
import { refetchOf } from "../api/refetch";
import { isLiveDelivery } from "../components/delivery/deliveryForm";
import { graphql } from "../gql/gql";
import type { CreateDeliveryInput, DeliveryRowFragment, DeliveryStatus } from "../gql/graphql";
import { connectionPage, useCursorPages } from "./useCursorPages";
import { useSubscriptionRefresh } from "./useSubscriptionRefresh";

graphql(`
  fragment DeliveryRow on Delivery {
    id
    mode
    target
    prompt
    status
    attempts
    maxAttempts
    error
    createdAt
    startedAt
    finishedAt
    nextAttemptAt
  }
`);

graphql(`
  fragment DeliveryDetail on Delivery {
    ...DeliveryRow
    params
    loraTokens
    loraHashes
    attemptHistory {
      attempt
      at
      error
    }
    httpStatus
    responseBody
    exitCode
    stdout
    stderr
    images {
      index
      url
      width
      height
      sizeBytes
    }
  }
`);

const DeliveryListDocument = graphql(`
  query DeliveryList($status: DeliveryStatus, $first: Int!, $after: String) {
    deliveries(status: $status, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...DeliveryRow
        }
      }
    }
  }
`);

const DeliveryDocument = graphql(`
  query Delivery($id: ID!) {
    delivery(id: $id) {
      ...DeliveryDetail
    }
  }
`);

const DeliveryStatusDocument = graphql(`
  subscription DeliveryStatus($id: ID!) {
    deliveryStatus(id: $id) {
      ...DeliveryDetail
    }
  }
`);

const DeliveryUpdatesDocument = graphql(`
  subscription DeliveryUpdates {
    deliveryUpdates {
      id
    }
  }
`);

const DeliveryTargetsDocument = graphql(`
  query DeliveryTargets {
    deliveryAllowedHosts
    deliveryCommandTemplates {
      name
      timeoutSeconds
    }
  }
`);

const CreateDeliveryDocument = graphql(`
  mutation CreateDelivery($input: CreateDeliveryInput!) {
    createDelivery(input: $input) {
      __typename
      ... on CreateDeliverySuccess {
        delivery {
          ...DeliveryRow
        }
      }
      ...MutationFailureFields
    }
  }
`);

export const DELIVERY_PAGE_SIZE = 25;

/** One page of deliveries, newest first, of one status or all; refetched when any delivery is created or changes. */
export function useDeliveryList(status: Ref<DeliveryStatus | null>) {
  const pages = useCursorPages();
  watch(status, pages.reset);
  const query = useQuery({
    query: DeliveryListDocument,
    variables: () => ({ status: status.value, first: DELIVERY_PAGE_SIZE, after: pages.after.value }),
    requestPolicy: "cache-and-network",
  });
  const page = connectionPage(() => query.data.value?.deliveries, pages);
  useSubscriptionRefresh({ query: DeliveryUpdatesDocument }, refetchOf(query));
  return { ...page, fetching: query.fetching, error: query.error };
}

/** One delivery with its results, pushed by the API as it changes until it has succeeded or failed. */
export function useDeliveryDetail(id: () => string) {
  const query = useQuery({ query: DeliveryDocument, variables: () => ({ id: id() }), requestPolicy: "cache-and-network" });
  const stored = computed(() => query.data.value?.delivery ?? null);
  const live = useSubscription({
    query: DeliveryStatusDocument,
    variables: computed(() => ({ id: id() })),
    pause: computed(() => stored.value === null || !isLiveDelivery(stored.value.status)),
  });
  const delivery = computed(() => {
    const pushed = live.data.value?.deliveryStatus;
    return pushed && pushed.id === id() ? pushed : stored.value;
  });
  return { delivery, loaded: computed(() => query.data.value !== undefined), error: query.error };
}

/** Where deliveries may go: the operator's allowed hosts and command templates. */
export function useDeliveryTargets() {
  const query = useQuery({ query: DeliveryTargetsDocument });
  return {
    allowedHosts: computed(() => query.data.value?.deliveryAllowedHosts ?? []),
    commandTemplates: computed(() => query.data.value?.deliveryCommandTemplates ?? []),
    error: query.error,
  };
}

export function useDeliveryCreation() {
  const { executeMutation } = useMutation(CreateDeliveryDocument);
  return async (input: CreateDeliveryInput): Promise<PayloadOutcome<DeliveryRowFragment>> => {
    const result = await executeMutation({ input });
    const union = result.data?.createDelivery;
    return payloadOutcome(result.error, union, union?.__typename === "CreateDeliverySuccess" ? union.delivery : undefined);
  };
}
