import type { SelectGroupOption } from "naive-ui";
import { computed } from "vue";
import { useQuery } from "@urql/vue";
import { graphql } from "../gql/gql";
import type { BaseModelSummaryFragment, Modality } from "../gql/graphql";

graphql(`
  fragment BaseModelSummary on BaseModel {
    id
    displayName
    modality
    family
    version
    discovered
    trainer
    capabilities {
      maxDurationSeconds
      sampleRate
      resolution
      maxTokens
    }
  }
`);

const BaseModelsDocument = graphql(`
  query BaseModels {
    baseModels {
      ...BaseModelSummary
    }
  }
`);

export const MODALITY_LABELS: Record<Modality, string> = { AUDIO: "Audio", IMAGE: "Image", TEXT: "Text" };
const MODALITY_ORDER: Modality[] = ["AUDIO", "IMAGE", "TEXT"];

export function baseModelLabel(model: Pick<BaseModelSummaryFragment, "displayName" | "discovered">): string {
  return model.discovered ? `${model.displayName} (discovered)` : model.displayName;
}

type BaseModelOptionSource = Pick<BaseModelSummaryFragment, "id" | "displayName" | "discovered" | "modality" | "trainer">;

/** Select options grouped by modality, catalogue models first within a group, as the API orders them. */
export function baseModelOptions(models: readonly BaseModelOptionSource[], label = baseModelLabel): SelectGroupOption[] {
  return MODALITY_ORDER.map((modality) => ({
    type: "group" as const,
    key: modality,
    label: MODALITY_LABELS[modality],
    children: models.filter((model) => model.modality === modality).map((model) => ({ label: label(model), value: model.id })),
  })).filter((group) => group.children.length > 0);
}

const NO_TRAINER_LABEL = "no trainer configured";

/**
 * Options for training on a model: those a trainer trains first, then the others by modality, marked
 * as having no trainer (an experiment on one can be created, but its runs cannot start).
 */
export function trainingBaseModelOptions(models: readonly BaseModelOptionSource[]): SelectGroupOption[] {
  const trainable = models.filter((model) => model.trainer !== null).map((model) => ({ label: baseModelLabel(model), value: model.id }));
  const others = baseModelOptions(
    models.filter((model) => model.trainer === null),
    (model) => `${baseModelLabel(model)} · ${NO_TRAINER_LABEL}`,
  );
  return trainable.length > 0 ? [{ type: "group", key: "trainable", label: "Trainable", children: trainable }, ...others] : others;
}

/** What the model can produce, in words: max duration for audio, resolution for images, max tokens for text. */
export function describeCapabilities(model: Pick<BaseModelSummaryFragment, "modality" | "capabilities">): string[] {
  const { maxDurationSeconds, sampleRate, resolution, maxTokens } = model.capabilities;
  const facts: (string | null)[] = {
    AUDIO: [
      maxDurationSeconds == null ? null : `Max duration ${maxDurationSeconds} s`,
      sampleRate == null ? null : `Sample rate ${sampleRate.toLocaleString("en-US")} Hz`,
    ],
    IMAGE: [resolution == null ? null : `Resolution ${resolution} × ${resolution} px`],
    TEXT: [maxTokens == null ? null : `Max tokens ${maxTokens.toLocaleString("en-US")}`],
  }[model.modality];
  return facts.filter((fact): fact is string => fact !== null);
}

/** The base model catalogue, fetched once and shared through urql's cache. */
export function useBaseModels() {
  const query = useQuery({ query: BaseModelsDocument });
  const baseModels = computed(() => query.data.value?.baseModels ?? []);
  return {
    baseModels,
    options: computed(() => baseModelOptions(baseModels.value)),
    trainingOptions: computed(() => trainingBaseModelOptions(baseModels.value)),
    byId: (id: string | null) => baseModels.value.find((model) => model.id === id) ?? null,
    fetching: query.fetching,
    error: query.error,
  };
}
