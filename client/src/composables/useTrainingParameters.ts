import { computed } from "vue";
import { useQuery } from "@urql/vue";
import { parametersForTrainer } from "../components/training-config/trainingConfigForm";
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

graphql(`
  fragment TrainingParameterField on TrainingParameter {
    ...TrainingParameterSummary
    default
    min
    max
    setByExperiment
    usedByBuiltinTrainer
  }
`);

const TrainingParametersDocument = graphql(`
  query TrainingParameters {
    trainingConfigSchema {
      ...TrainingParameterField
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

/** The parameters a configuration form offers for a trainer (see `parametersForTrainer`); null until the catalogue arrives. */
export function useTrainerParameters(trainer: () => string | null) {
  const { parameters: catalogue, error } = useTrainingParameters();
  return {
    parameters: computed(() => (catalogue.value ? parametersForTrainer(catalogue.value, trainer()) : null)),
    error,
  };
}
