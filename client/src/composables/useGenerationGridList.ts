import { graphql } from "../gql/gql";
import { usePagedConnection } from "./useCursorPages";

graphql(`
  fragment GenerationGridSummary on GenerationGrid {
    id
    prompt
    weights
    seeds
    cellCount
    createdAt
    baseModel {
      id
      displayName
    }
    adapters {
      adapter {
        id
        name
        version
      }
    }
  }
`);

const GenerationGridListDocument = graphql(`
  query GenerationGridList($first: Int!, $after: String) {
    generationGrids(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...GenerationGridSummary
        }
      }
    }
  }
`);

export const GRID_PAGE_SIZE = 25;

/** One page of generation grids, newest first. */
export function useGenerationGridList() {
  return usePagedConnection(GenerationGridListDocument, GRID_PAGE_SIZE, (data) => data.generationGrids);
}
