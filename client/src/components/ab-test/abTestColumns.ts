import type { DataTableColumns } from "naive-ui";
import { h } from "vue";
import type { AbTestListItemFragment } from "../../gql/graphql";
import { formatDateTime } from "../../utils/format";
import StatusTag from "../common/StatusTag.vue";
import { tableLink } from "../common/tableCells";

/** "jazz 2 at 0.7": each side's weight is named, as two weights of one adapter differ only by it. */
const side = (adapter: { name: string; version: string }, weight: number) => `${adapter.name} ${adapter.version} at ${weight}`;

/** Side B: an adapter at its weight, or the base model. */
function sideB(test: AbTestListItemFragment): string {
  if (test.adapterB) return side(test.adapterB, test.weightB ?? 1);
  return `${test.baseModel?.displayName ?? "Base model"} (base model)`;
}

/** "3 of 5 judged", or how far generation is. */
function progressLabel(test: AbTestListItemFragment): string {
  if (test.status === "GENERATING") return `Generating ${Math.round(test.progress.generation * 100)}%`;
  return `${test.progress.judged} of ${test.progress.total} judged`;
}

export function abTestColumns(): DataTableColumns<AbTestListItemFragment> {
  return [
    {
      title: "Name",
      key: "name",
      minWidth: 200,
      ellipsis: { tooltip: true },
      render: (test) => tableLink({ name: "ab-test", params: { id: test.id } }, test.name),
    },
    { title: "A", key: "adapterA", minWidth: 140, ellipsis: { tooltip: true }, render: (test) => side(test.adapterA, test.weightA) },
    { title: "B", key: "adapterB", minWidth: 140, ellipsis: { tooltip: true }, render: sideB },
    { title: "Status", key: "status", width: 130, render: (test) => h(StatusTag, { status: test.status }) },
    { title: "Progress", key: "progress", width: 160, render: progressLabel },
    { title: "Verdict", key: "verdict", minWidth: 260, ellipsis: { tooltip: true }, render: (test) => test.result.verdict },
    { title: "Created", key: "createdAt", width: 190, render: (test) => h("span", { class: "nowrap" }, formatDateTime(test.createdAt)) },
  ];
}
