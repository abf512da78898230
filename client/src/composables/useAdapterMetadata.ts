import { computed, ref } from "vue";
import { useMutation, useQuery } from "@urql/vue";
import type { SelectOption } from "naive-ui";
import { failureOfMutation, type MutationFailure } from "../api/mutationFailure";
import { graphql } from "../gql/gql";
import type { UpdateAdapterInput } from "../gql/graphql";

const UpdateAdapterMetadataDocument = graphql(`
  mutation UpdateAdapterMetadata($id: ID!, $input: UpdateAdapterInput!) {
    updateAdapter(id: $id, input: $input) {
      __typename
      ... on UpdateAdapterSuccess {
        adapter {
          id
          description
          notes
          triggers
          activationText
          weight
          ordinal
          tags
          updatedAt
          previewSample {
            id
          }
        }
      }
      ...MutationFailureFields
    }
  }
`);

const PreviewCandidatesDocument = graphql(`
  query AdapterPreviewCandidates($adapterId: ID!) {
    generationJobs(filter: { adapterId: $adapterId }, first: 20) {
      edges {
        node {
          id
          prompt
          samples {
            id
            index
            seed
          }
        }
      }
    }
  }
`);

export const MAX_WEIGHT = 2;
export const MAX_ORDINAL = 1_000_000;
const MAX_WORD_LENGTH = 200;
const MAX_TRIGGERS = 50;
const MAX_TAGS = 50;
const MAX_TEXT_LENGTH = 20_000;
const MAX_ACTIVATION_TEXT_LENGTH = 2000;

/** What the metadata editor edits: the fields a LoRA manager keeps beside the weights. */
export interface AdapterMetadataForm {
  description: string;
  triggers: string[];
  activationText: string;
  weight: number | null;
  ordinal: number | null;
  tags: string[];
  notes: string;
  previewSampleId: string | null;
}

export interface AdapterMetadata {
  description: string;
  triggers: readonly string[];
  activationText?: string | null;
  weight: number;
  ordinal?: number | null;
  tags: readonly string[];
  notes: string;
  previewSample?: { id: string } | null;
}

export function metadataFormOf(adapter: AdapterMetadata): AdapterMetadataForm {
  return {
    description: adapter.description,
    triggers: [...adapter.triggers],
    activationText: adapter.activationText ?? "",
    weight: adapter.weight,
    ordinal: adapter.ordinal ?? null,
    tags: [...adapter.tags],
    notes: adapter.notes,
    previewSampleId: adapter.previewSample?.id ?? null,
  };
}

function wordProblem(words: readonly string[], what: string, max: number): string | null {
  if (words.length > max) return `At most ${max} ${what}s; remove ${words.length - max}.`;
  const long = words.find((word) => word.trim().length > MAX_WORD_LENGTH);
  return long ? `A ${what} is at most ${MAX_WORD_LENGTH} characters; '${long.slice(0, 20)}…' is longer.` : null;
}

/** The problems of each field, by the API's field names, checked before asking the API: what it would refuse. */
export function metadataProblems(form: AdapterMetadataForm): Record<string, string> {
  const problems: [string, string | null][] = [
    ["weight", form.weight === null || form.weight < 0 || form.weight > MAX_WEIGHT ? `Enter a default weight from 0 to ${MAX_WEIGHT}.` : null],
    [
      "ordinal",
      form.ordinal !== null && (!Number.isInteger(form.ordinal) || form.ordinal < 0 || form.ordinal > MAX_ORDINAL)
        ? `The ordinal is a whole number from 0 to ${MAX_ORDINAL}, or empty to compose after those that have one.`
        : null,
    ],
    ["triggers", wordProblem(form.triggers, "trigger word", MAX_TRIGGERS)],
    ["tags", wordProblem(form.tags, "tag", MAX_TAGS)],
    ["description", form.description.length > MAX_TEXT_LENGTH ? `The description is at most ${MAX_TEXT_LENGTH} characters.` : null],
    ["notes", form.notes.length > MAX_TEXT_LENGTH ? `Notes are at most ${MAX_TEXT_LENGTH} characters.` : null],
    [
      "activationText",
      form.activationText.length > MAX_ACTIVATION_TEXT_LENGTH ? `The activation text is at most ${MAX_ACTIVATION_TEXT_LENGTH} characters.` : null,
    ],
  ];
  return Object.fromEntries(problems.filter((entry): entry is [string, string] => entry[1] !== null));
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((item, index) => item === b[index]);
const trimmedWords = (words: readonly string[]) => [...new Set(words.map((word) => word.trim()).filter((word) => word !== ""))];

/** Only what changed, so that a save never overwrites another's edit of a field left alone; cleared fields go as null. */
export function metadataChanges(form: AdapterMetadataForm, adapter: AdapterMetadata): UpdateAdapterInput {
  const before = metadataFormOf(adapter);
  const triggers = trimmedWords(form.triggers);
  const tags = trimmedWords(form.tags);
  const activationText = form.activationText.trim();
  return {
    ...(form.description !== before.description ? { description: form.description } : {}),
    ...(!sameList(triggers, before.triggers) ? { triggers } : {}),
    ...(activationText !== before.activationText ? { activationText: activationText || null } : {}),
    ...(form.weight !== null && form.weight !== before.weight ? { weight: form.weight } : {}),
    ...(form.ordinal !== before.ordinal ? { ordinal: form.ordinal } : {}),
    ...(!sameList(tags, before.tags) ? { tags } : {}),
    ...(form.notes !== before.notes ? { notes: form.notes } : {}),
    ...(form.previewSampleId !== before.previewSampleId ? { previewSampleId: form.previewSampleId } : {}),
  };
}

/** A suggested trigger word, added once (whatever its case). */
export function withTrigger(triggers: readonly string[], word: string): string[] {
  return triggers.some((trigger) => trigger.toLowerCase() === word.toLowerCase()) ? [...triggers] : [...triggers, word];
}

export type PreviewCandidate = SelectOption & { label: string; value: string };

/** The samples an adapter's jobs made, newest job first, labelled by prompt, sample number and seed. */
export function previewCandidates(jobs: readonly { prompt: string; samples: readonly { id: string; index: number; seed: number }[] }[]): PreviewCandidate[] {
  return jobs.flatMap((job) =>
    job.samples.map((sample) => ({ value: sample.id, label: `${job.prompt.slice(0, 60)} · sample ${sample.index + 1} · seed ${sample.seed}` })),
  );
}

/** The metadata editor of one adapter: its draft, the problems found before sending, and what the API said. */
export function useAdapterMetadata(adapter: () => AdapterMetadata & { id: string }) {
  const form = ref<AdapterMetadataForm>(metadataFormOf(adapter()));
  const failure = ref<MutationFailure | null>(null);
  const { executeMutation, fetching: saving } = useMutation(UpdateAdapterMetadataDocument);
  const candidatesQuery = useQuery({ query: PreviewCandidatesDocument, variables: () => ({ adapterId: adapter().id }), pause: true });
  const problems = computed(() => metadataProblems(form.value));
  const changes = computed(() => metadataChanges(form.value, adapter()));

  function reset(): void {
    form.value = metadataFormOf(adapter());
    failure.value = null;
    void candidatesQuery.executeQuery({ requestPolicy: "network-only" });
  }

  /** True once the adapter holds the draft (saved now, or nothing to save). */
  async function save(): Promise<boolean> {
    if (Object.keys(problems.value).length > 0) return false;
    if (Object.keys(changes.value).length === 0) return true;
    const result = await executeMutation({ id: adapter().id, input: changes.value });
    failure.value = failureOfMutation(result.error, result.data?.updateAdapter);
    return failure.value === null;
  }

  const fieldErrors = computed(() => ({ ...problems.value, ...(failure.value?.fieldErrors ?? {}) }));

  /** NFormItem props with the message for a field, or for one of its items ("triggers.1"). */
  function feedbackFor(field: string) {
    const key = Object.keys(fieldErrors.value).find((name) => name === field || name.startsWith(`${field}.`));
    const message = key ? fieldErrors.value[key] : undefined;
    return { feedback: message, validationStatus: message ? ("error" as const) : undefined };
  }

  return {
    form,
    failure,
    saving,
    feedbackFor,
    canSave: computed(() => Object.keys(problems.value).length === 0),
    candidates: computed(() => previewCandidates(candidatesQuery.data.value?.generationJobs.edges.map((edge) => edge.node) ?? [])),
    reset,
    save,
  };
}
