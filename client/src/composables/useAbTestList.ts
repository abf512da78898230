import { useQuery } from "@urql/vue";
import { graphql } from "../gql/gql";
import { connectionPage, useCursorPages } from "./useCursorPages";

graphql(`
  fragment AbTestListItem on AbTest {
    id
    name
    status
    createdAt
    adapterA {
      id
      name
      version
    }
    adapterB {
      id
      name
      version
    }
    baseModel {
      id
      displayName
    }
    progress {
      judged
      total
      generation
    }
    result {
      verdict
    }
  }
`);

const AbTestListDocument = graphql(`
  query AbTestList($first: Int!, $after: String) {
    abTests(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...AbTestListItem
        }
      }
    }
  }
`);

export const AB_TEST_PAGE_SIZE = 25;

/** One page of A/B tests, as the API orders them. */
export function useAbTestList() {
  const pages = useCursorPages();
  const query = useQuery({
    query: AbTestListDocument,
    variables: () => ({ first: AB_TEST_PAGE_SIZE, after: pages.after.value }),
    requestPolicy: "cache-and-network",
  });
  return { ...connectionPage(() => query.data.value?.abTests, pages), fetching: query.fetching, error: query.error };
}
