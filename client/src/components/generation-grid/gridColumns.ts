import type { DataTableColumns } from "naive-ui";
import { h } from "vue";
import type { GenerationGridSummaryFragment } from "../../gql/graphql";
import { formatDateTime } from "../../utils/format";
import { tableLink } from "../common/tableCells";
import { adapterLabel, formatWeight } from "../generation/adapterSelection";

export function gridColumns(): DataTableColumns<GenerationGridSummaryFragment> {
  return [
    {
      title: "Prompt",
      key: "prompt",
      minWidth: 240,
      ellipsis: { tooltip: true },
      render: (grid) => tableLink({ name: "generation-grid", params: { id: grid.id } }, grid.prompt),
    },
    { title: "Model", key: "baseModel", minWidth: 150, ellipsis: { tooltip: true }, render: (grid) => grid.baseModel.displayName },
    {
      title: "Adapters",
      key: "adapters",
      minWidth: 180,
      ellipsis: { tooltip: true },
      render: (grid) => grid.adapters.map((part) => adapterLabel(part.adapter)).join(", "),
    },
    { title: "Weights", key: "weights", minWidth: 150, render: (grid) => grid.weights.map(formatWeight).join(", ") },
    { title: "Seeds", key: "seeds", minWidth: 120, ellipsis: { tooltip: true }, render: (grid) => grid.seeds.join(", ") },
    { title: "Cells", key: "cellCount", width: 80 },
    { title: "Created", key: "createdAt", width: 190, render: (grid) => h("span", { class: "nowrap" }, formatDateTime(grid.createdAt)) },
  ];
}
