/** The Deliveries table: where each went, how it stands, and how many attempts it took. */
import type { DataTableColumns } from "naive-ui";
import { h } from "vue";
import type { DeliveryRowFragment } from "../../gql/graphql";
import { formatDateTime } from "../../utils/format";
import StatusTag from "../common/StatusTag.vue";
import { tableLink } from "../common/tableCells";
import { MODE_LABELS } from "./deliveryForm";

function whenCell(delivery: DeliveryRowFragment) {
  if (delivery.finishedAt) return h("span", { class: "nowrap" }, formatDateTime(delivery.finishedAt));
  if (delivery.nextAttemptAt && delivery.status === "PENDING" && delivery.attempts > 0) {
    return h("span", { class: "nowrap muted" }, `retry at ${formatDateTime(delivery.nextAttemptAt)}`);
  }
  return "—";
}

export function deliveryColumns(): DataTableColumns<DeliveryRowFragment> {
  return [
    { title: "Status", key: "status", width: 110, render: (delivery) => h(StatusTag, { status: delivery.status }) },
    { title: "Mode", key: "mode", width: 200, render: (delivery) => MODE_LABELS[delivery.mode] },
    {
      title: "Target",
      key: "target",
      minWidth: 190,
      ellipsis: { tooltip: true },
      render: (delivery) => tableLink({ name: "delivery", params: { id: delivery.id } }, delivery.target),
    },
    { title: "Prompt", key: "prompt", minWidth: 190, ellipsis: { tooltip: true } },
    { title: "Attempts", key: "attempts", width: 90, align: "right", render: (delivery) => `${delivery.attempts} of ${delivery.maxAttempts}` },
    { title: "Created", key: "createdAt", width: 180, render: (delivery) => h("span", { class: "nowrap" }, formatDateTime(delivery.createdAt)) },
    { title: "Finished", key: "finishedAt", width: 180, render: whenCell },
  ];
}
