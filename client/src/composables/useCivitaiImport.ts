import { ref } from "vue";
import { useMutation } from "@urql/vue";
import { failureOfMutation, type MutationFailure } from "../api/mutationFailure";
import { graphql } from "../gql/gql";
import type { ImportCivitaiMetadataMutation } from "../gql/graphql";

const ImportCivitaiMetadataDocument = graphql(`
  mutation ImportCivitaiMetadata($input: ImportCivitaiMetadataInput!) {
    importCivitaiMetadata(input: $input) {
      __typename
      ... on ImportCivitaiMetadataSuccess {
        dryRun
        created {
          ...CivitaiImportItemFields
        }
        updated {
          ...CivitaiImportItemFields
        }
        unchanged {
          ...CivitaiImportItemFields
        }
        failed {
          ...CivitaiImportItemFields
        }
      }
      ...MutationFailureFields
    }
  }

  fragment CivitaiImportItemFields on CivitaiImportItem {
    path
    reason
    adapter {
      id
      name
      version
    }
  }
`);

type ImportResult = Extract<ImportCivitaiMetadataMutation["importCivitaiMetadata"], { __typename: "ImportCivitaiMetadataSuccess" }>;
type ImportItem = ImportResult["created"][number];

export interface ImportReportSection {
  title: string;
  items: ImportItem[];
}

/** The import's answer, one section per outcome that has items, in the words of a dry run or a real one. */
export function importReportSections(result: ImportResult): ImportReportSection[] {
  const verb = (done: string, would: string) => (result.dryRun ? would : done);
  const sections: ImportReportSection[] = [
    { title: verb("Added", "Would add"), items: result.created },
    { title: verb("Updated", "Would update"), items: result.updated },
    { title: "Unchanged since the last import", items: result.unchanged },
    { title: verb("Failed", "Would fail"), items: result.failed },
  ];
  return sections.filter((section) => section.items.length > 0);
}

/** The "Import Civitai metadata" form: a directory below IMPORT_ROOTS, a dry run first if wanted. */
export function useCivitaiImport() {
  const directory = ref("");
  const dryRun = ref(true);
  const force = ref(false);
  const report = ref<ImportReportSection[] | null>(null);
  const failure = ref<MutationFailure | null>(null);
  const { executeMutation, fetching: importing } = useMutation(ImportCivitaiMetadataDocument);

  function reset(): void {
    report.value = null;
    failure.value = null;
  }

  /** True when the API ran the import (or its dry run); the report says what it did. */
  async function run(): Promise<boolean> {
    const result = await executeMutation({ input: { directory: directory.value.trim(), dryRun: dryRun.value, force: force.value } });
    const answer = result.data?.importCivitaiMetadata;
    failure.value = failureOfMutation(result.error, answer);
    report.value = answer?.__typename === "ImportCivitaiMetadataSuccess" ? importReportSections(answer) : null;
    return failure.value === null;
  }

  return { directory, dryRun, force, report, failure, importing, reset, run };
}
