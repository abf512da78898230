import { computed } from "vue";
import { useQuery } from "@urql/vue";
import { graphql } from "../gql/gql";

graphql(`
  fragment TrainingParameterSummary on TrainingParameter {
    key
    category
    label
    description
    unit
    valueType
  }
`);

const TrainingParametersDocument = graphql(`
  query TrainingParameters {
    trainingConfigSchema {
      ...TrainingParameterSummary
    }
  }
`);

/** The API's catalogue of training parameters, fetched once and shared through urql's cache; null until it arrives. */
export function useTrainingParameters() {
  const query = useQuery({ query: TrainingParametersDocument });
  return {
    parameters: computed(() => query.data.value?.trainingConfigSchema ?? null),
    error: query.error,
  };
}
