import { DownloadOutline, StopCircleOutline, TrashOutline } from "@vicons/ionicons5";
import { NButton, NIcon, NTag, NTooltip, type DataTableColumns } from "naive-ui";
import { h } from "vue";
import type { RunRowFragment } from "../../gql/graphql";
import { formatDateTime, formatDuration, formatMetricValue } from "../../utils/format";
import { asJsonObject } from "../../utils/json";
import StatusTag from "../common/StatusTag.vue";
import { iconButton, tableLink } from "../common/tableCells";
import { isDeletableRun, isLiveRun } from "./runRules";

export interface RunRowActions {
  select(run: RunRowFragment): void;
  cancel(run: RunRowFragment): void;
  remove(run: RunRowFragment): void;
}

/** How long it trained, or has been training; blank before it started. */
export function runDuration(run: Pick<RunRowFragment, "startedAt" | "finishedAt">, now: number): string {
  if (!run.startedAt) return "";
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  return formatDuration(end - Date.parse(run.startedAt));
}

/** "learningRate, maxSteps": the keys a run overrode, or null when it uses the experiment's configuration. */
export function overriddenKeys(run: Pick<RunRowFragment, "configOverride">): string | null {
  const override = asJsonObject(run.configOverride);
  const keys = override ? Object.keys(override) : [];
  return keys.length > 0 ? keys.join(", ") : null;
}

function downloadButton(run: RunRowFragment) {
  const label = `Download the log of ${run.name}`;
  return h(NTooltip, null, {
    trigger: () =>
      h(NButton, { tag: "a", href: run.logUrl, download: `${run.name}.log`, quaternary: true, circle: true, size: "small", "aria-label": label }, {
        icon: () => h(NIcon, null, { default: () => h(DownloadOutline) }),
      }),
    default: () => label,
  });
}

function actionsCell(run: RunRowFragment, actions: RunRowActions, editable: boolean) {
  return h("span", { class: "row-actions" }, [
    downloadButton(run),
    editable && isLiveRun(run.status) ? iconButton(`Cancel ${run.name}`, StopCircleOutline, () => actions.cancel(run), "error") : null,
    editable && isDeletableRun(run.status) ? iconButton(`Delete ${run.name}`, TrashOutline, () => actions.remove(run), "error") : null,
  ]);
}

function nameCell(run: RunRowFragment, actions: RunRowActions) {
  const overrides = overriddenKeys(run);
  return h("span", { class: "run-name" }, [
    h("button", { type: "button", class: "run-link", title: `Show the log and metrics of ${run.name}`, onClick: () => actions.select(run) }, run.name),
    run.isBest ? h(NTag, { size: "tiny", type: "success", bordered: false }, { default: () => "best" }) : null,
    overrides
      ? h(NTooltip, null, { trigger: () => h(NTag, { size: "tiny", bordered: false }, { default: () => "override" }), default: () => `Overrides ${overrides}` })
      : null,
  ]);
}

/**
 * The runs table: checkboxes on finished runs only (they alone can be deleted); no checkboxes, cancel or delete
 * buttons for a key that may not change runs (`editable` false).
 */
export function runColumns(actions: RunRowActions, now: () => number, editable: boolean): DataTableColumns<RunRowFragment> {
  const columns: DataTableColumns<RunRowFragment> = [
    { title: "Run", key: "name", minWidth: 160, render: (run) => nameCell(run, actions) },
    { title: "Status", key: "status", width: 120, render: (run) => h(StatusTag, { status: run.status }) },
    { title: "Final loss", key: "finalLoss", width: 100, align: "right", render: (run) => (run.finalLoss === null ? "—" : formatMetricValue(run.finalLoss)) },
    { title: "Started", key: "startedAt", width: 180, render: (run) => h("span", { class: "nowrap" }, run.startedAt ? formatDateTime(run.startedAt) : "Queued") },
    { title: "Duration", key: "duration", width: 100, render: (run) => runDuration(run, now()) },
    {
      title: "Adapter",
      key: "adapter",
      minWidth: 160,
      ellipsis: { tooltip: true },
      render: (run) => (run.adapter ? tableLink({ name: "adapter", params: { id: run.adapter.id } }, `${run.adapter.name} v${run.adapter.version}`) : "—"),
    },
    { title: "", key: "actions", width: 112, align: "right", render: (run) => actionsCell(run, actions, editable) },
  ];
  return editable ? [{ type: "selection", disabled: (run) => !isDeletableRun(run.status) }, ...columns] : columns;
}
