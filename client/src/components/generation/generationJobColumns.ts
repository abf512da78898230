/** The Jobs table: what each generation job asked for, what made it and how it went; its samples one click away, its page one more. */
import type { DataTableColumns } from "naive-ui";
import { h } from "vue";
import { RouterLink } from "vue-router";
import type { GenerationJobRowFragment } from "../../gql/graphql";
import { formatDateTime, formatDuration } from "../../utils/format";
import StatusTag from "../common/StatusTag.vue";
import GenerationJobAdapters from "./GenerationJobAdapters.vue";
import GenerationJobExpanded from "./GenerationJobExpanded.vue";
import { jobGenerator } from "./generationJobText";

function statusCell(job: GenerationJobRowFragment) {
  const tag = h(StatusTag, { status: job.status });
  return job.status === "RUNNING" ? h("span", { class: "nowrap" }, [tag, ` ${Math.round(job.progress * 100)}%`]) : tag;
}

function promptCell(job: GenerationJobRowFragment) {
  return h(RouterLink, { to: { name: "generation-job", params: { id: job.id } }, class: "job-link", title: job.prompt }, () => job.prompt);
}

function tookCell(job: GenerationJobRowFragment): string {
  return job.startedAt && job.finishedAt ? formatDuration(Date.parse(job.finishedAt) - Date.parse(job.startedAt)) : "—";
}

export function generationJobColumns(): DataTableColumns<GenerationJobRowFragment> {
  return [
    { type: "expand", renderExpand: (job) => h(GenerationJobExpanded, { jobId: job.id }) },
    { title: "Status", key: "status", width: 120, render: statusCell },
    { title: "Prompt", key: "prompt", minWidth: 200, ellipsis: true, render: promptCell },
    { title: "Base model", key: "baseModel", width: 160, render: (job) => job.baseModel.displayName },
    { title: "Adapters", key: "adapters", minWidth: 220, render: (job) => h(GenerationJobAdapters, { adapters: job.adapters }) },
    {
      title: "Samples",
      key: "samples",
      width: 90,
      align: "right",
      render: (job) => (job.status === "DONE" ? job.samples.length : h("span", { class: "muted" }, `${job.sampleCount} asked`)),
    },
    { title: "Generator", key: "backend", width: 140, render: (job) => h("span", { class: job.backend ? "" : "muted", "data-testid": "job-generator" }, jobGenerator(job)) },
    { title: "Created", key: "createdAt", width: 180, render: (job) => h("span", { class: "nowrap" }, formatDateTime(job.createdAt)) },
    { title: "Took", key: "took", width: 80, align: "right", render: tookCell },
  ];
}
