/** Which runs can be started, cancelled, deleted, checked and compared. */
import type { ExperimentStatus, RunStatus } from "../../gql/graphql";

/** Runs whose curves one chart overlays at the most; the API reads up to 20 by id in one request. */
export const COMPARE_LIMIT = 5;

/** Why runs on a base model cannot start: no trainer trains it. */
export function noTrainerReason(baseModelName: string): string {
  return `No trainer is configured for ${baseModelName}, so runs on it cannot start until an operator registers one (TRAINERS).`;
}

interface StartableExperiment {
  status: ExperimentStatus;
  trainer: string | null;
  baseModel: { displayName: string };
  dataset: { id: string } | null;
}

/**
 * Why no run of the experiment can start, or null when one can. A dataset is asked for last: linking
 * one helps only once a trainer can run.
 */
export function runStartBlocker(experiment: StartableExperiment): string | null {
  if (experiment.status === "ARCHIVED") return "Unarchive the experiment to start runs.";
  if (!experiment.trainer) return noTrainerReason(experiment.baseModel.displayName);
  if (!experiment.dataset) return "Link a dataset in the Config tab first.";
  return null;
}

const LIVE_STATUSES: ReadonlySet<RunStatus> = new Set<RunStatus>(["PENDING", "RUNNING"]);

/** Queued or training: it can be cancelled, and its log and metrics still grow. */
export function isLiveRun(status: RunStatus): boolean {
  return LIVE_STATUSES.has(status);
}

/** Only COMPLETED, FAILED and CANCELLED runs can be deleted (the API refuses the others). */
export function isDeletableRun(status: RunStatus): boolean {
  return !isLiveRun(status);
}

interface RunLike {
  id: string;
  status: RunStatus;
}

/** The checked runs that can still be deleted, in table order: a run deleted elsewhere, or one that became live, drops out. */
export function deletableSelection(runs: readonly RunLike[], checked: readonly string[]): string[] {
  const wanted = new Set(checked);
  return runs.filter((run) => wanted.has(run.id) && isDeletableRun(run.status)).map((run) => run.id);
}

export type CompareOption = {
  label: string;
  value: string;
  disabled: boolean;
};

/** Every run as an option; once COMPARE_LIMIT are chosen the others are disabled until one is removed. */
export function compareOptions(runs: readonly { id: string; name: string }[], selected: readonly string[]): CompareOption[] {
  const full = selected.length >= COMPARE_LIMIT;
  return runs.map((run) => ({ label: run.name, value: run.id, disabled: full && !selected.includes(run.id) }));
}

/** The chosen runs that still exist, in the order they were chosen, COMPARE_LIMIT at the most. */
export function comparableSelection(runs: readonly { id: string }[], selected: readonly string[]): string[] {
  const existing = new Set(runs.map((run) => run.id));
  return selected.filter((id) => existing.has(id)).slice(0, COMPARE_LIMIT);
}
