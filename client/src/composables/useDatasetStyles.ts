import { computed } from "vue";
import { useQuery } from "@urql/vue";
import { graphql } from "../gql/gql";
import type { DatasetStyleOptionFragment } from "../gql/graphql";

graphql(`
  fragment DatasetStyleOption on DatasetStyle {
    id
    name
    mode
    beatsPerBar
    stepsPerBeat
    examplePrompt
  }
`);

const DatasetStylesDocument = graphql(`
  query DatasetStyles {
    datasetStyles {
      ...DatasetStyleOption
    }
  }
`);

/** Steps are 16th notes; a beat of a multiple of three steps is dotted, as in compound meters. */
const STEPS_PER_WHOLE_NOTE = 16;

/**
 * The time signature of a meter counted in 16th-note steps: 3 beats of 4 steps is 3/4, 2 beats of
 * 6 steps (dotted quarters) is 6/8; in words when no signature fits.
 */
export function timeSignature(meter: Pick<DatasetStyleOptionFragment, "beatsPerBar" | "stepsPerBeat">): string {
  const { beatsPerBar, stepsPerBeat } = meter;
  const compound = stepsPerBeat % 3 === 0;
  const [count, unitSteps] = compound ? [beatsPerBar * 3, stepsPerBeat / 3] : [beatsPerBar, stepsPerBeat];
  const unit = STEPS_PER_WHOLE_NOTE / unitSteps;
  return Number.isInteger(unit) ? `${count}/${unit}` : `${beatsPerBar} beats of ${stepsPerBeat} steps`;
}

/** "3/4 · major": what sets the style apart besides its name. */
export function datasetStyleFacts(style: Pick<DatasetStyleOptionFragment, "beatsPerBar" | "stepsPerBeat" | "mode">): string {
  return `${timeSignature(style)} · ${style.mode}`;
}

/** The styles of the built-in melody generator, fetched once and shared through urql's cache. */
export function useDatasetStyles() {
  const query = useQuery({ query: DatasetStylesDocument });
  return {
    styles: computed(() => query.data.value?.datasetStyles ?? []),
    fetching: query.fetching,
    error: query.error,
  };
}
