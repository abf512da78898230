import { ArchiveOutline, ArrowUndoOutline } from "@vicons/ionicons5";
import type { DataTableColumns } from "naive-ui";
import { h } from "vue";
import type { ExperimentListItemFragment } from "../../gql/graphql";
import { formatDateTime, formatMetricValue } from "../../utils/format";
import StatusTag from "../common/StatusTag.vue";
import { iconButton, tableLink } from "../common/tableCells";

export interface ExperimentRowActions {
  archive(experiment: ExperimentListItemFragment): void;
  unarchive(experiment: ExperimentListItemFragment): void;
}

function actionCell(experiment: ExperimentListItemFragment, actions: ExperimentRowActions) {
  const button =
    experiment.status === "ARCHIVED"
      ? iconButton(`Unarchive ${experiment.name}`, ArrowUndoOutline, () => actions.unarchive(experiment))
      : iconButton(`Archive ${experiment.name}`, ArchiveOutline, () => actions.archive(experiment));
  return h("span", { class: "row-actions" }, [button]);
}

/** The experiment list's columns; the archive buttons only for a key that may change experiments (`editable`). */
export function experimentColumns(actions: ExperimentRowActions, editable: boolean): DataTableColumns<ExperimentListItemFragment> {
  const columns: DataTableColumns<ExperimentListItemFragment> = [
    {
      title: "Name",
      key: "name",
      minWidth: 200,
      ellipsis: { tooltip: true },
      render: (experiment) => tableLink({ name: "experiment", params: { id: experiment.id } }, experiment.name),
    },
    { title: "Status", key: "status", width: 130, render: (experiment) => h(StatusTag, { status: experiment.status }) },
    { title: "Base model", key: "baseModel", width: 180, ellipsis: { tooltip: true }, render: (experiment) => experiment.baseModel.displayName },
    {
      title: "Dataset",
      key: "dataset",
      minWidth: 160,
      ellipsis: { tooltip: true },
      render: (experiment) => experiment.dataset?.name ?? h("span", { class: "muted" }, "None linked"),
    },
    {
      title: "Best loss",
      key: "bestLoss",
      width: 110,
      align: "right",
      render: (experiment) => (experiment.bestLoss === null ? "—" : formatMetricValue(experiment.bestLoss)),
    },
    { title: "Runs", key: "runCount", width: 80, align: "right" },
    { title: "Updated", key: "updatedAt", width: 190, render: (experiment) => h("span", { class: "nowrap" }, formatDateTime(experiment.updatedAt)) },
  ];
  return editable ? [...columns, { title: "", key: "actions", width: 60, align: "right", render: (experiment) => actionCell(experiment, actions) }] : columns;
}
