import { graphql } from "../gql/gql";
import { usePagedConnection } from "./useCursorPages";

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
    weightA
    weightB
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
  return usePagedConnection(AbTestListDocument, AB_TEST_PAGE_SIZE, (data) => data.abTests);
}
