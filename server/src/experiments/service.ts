import type { Experiment, ExperimentStatus, Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { ActivityService } from "../activity/service.js";
import { trainerFor, type TrainerCommand } from "../config/trainers.js";
import { isUniqueViolation } from "../db/errors.js";
import { BadUserInputError, ConflictError, NotFoundError } from "../errors/domain-errors.js";
import { parseInput } from "../errors/validate.js";
import { defaultTrainingConfig, trainingConfigProblems, withoutNulls, type TrainingConfig } from "../training-config/validate.js";
import { createExperimentInput, updateExperimentInput } from "./inputs.js";

type Tx = Prisma.TransactionClient;

export interface ExperimentServiceDeps {
  prisma: PrismaClient;
  activity: ActivityService;
  trainers: TrainerCommand[];
}

export const EXPERIMENT_ORDER: Prisma.ExperimentOrderByWithRelationInput[] = [{ createdAt: "desc" }, { id: "asc" }];

export class ExperimentService {
  constructor(private readonly deps: ExperimentServiceDeps) {}

  private get prisma() {
    return this.deps.prisma;
  }

  listWhere(filter: { includeArchived?: boolean | null; status?: ExperimentStatus | null }): Prisma.ExperimentWhereInput {
    if (filter.status) return { status: filter.status };
    return filter.includeArchived ? {} : { status: { not: "ARCHIVED" } };
  }

  trainerOf(baseModelId: string): string | null {
    return trainerFor(baseModelId, this.deps.trainers);
  }

  /** Throws BAD_USER_INPUT naming each offending key under `field`. */
  validateConfig(config: TrainingConfig, baseModelId: string, field: string): void {
    const problems = trainingConfigProblems(config, this.trainerOf(baseModelId), baseModelId, field);
    if (problems.length > 0) throw new BadUserInputError(problems.map((p) => p.message).join("; "), problems);
  }

  async create(rawInput: unknown): Promise<Experiment> {
    const input = parseInput(createExperimentInput, rawInput);
    await this.ensureExists("baseModelId", input.baseModelId, (id) => this.prisma.baseModel.findUnique({ where: { id } }));
    if (input.datasetId) await this.ensureDataset(input.datasetId);
    const config = withoutNulls({ ...defaultTrainingConfig(), ...(input.config ?? {}) });
    this.validateConfig(config, input.baseModelId, "config");
    return this.write(input.name, () =>
      this.deps.activity.transaction(this.prisma, async (tx) => {
        const experiment = await tx.experiment.create({
          data: {
            name: input.name,
            description: input.description ?? "",
            baseModelId: input.baseModelId,
            datasetId: input.datasetId ?? null,
            trainingConfig: config as Prisma.InputJsonObject,
          },
        });
        return { result: experiment, event: this.event("EXPERIMENT_CREATED", experiment, "created") };
      }),
    );
  }

  async update(id: string, rawInput: unknown): Promise<Experiment> {
    const input = parseInput(updateExperimentInput, rawInput);
    const current = await this.find(id);
    if (input.datasetId) await this.ensureDataset(input.datasetId);
    const config = input.config === undefined ? undefined : withoutNulls({ ...defaultTrainingConfig(), ...input.config });
    if (config) this.validateConfig(config, current.baseModelId, "config");
    return this.write(input.name ?? current.name, () =>
      this.deps.activity.transaction(this.prisma, async (tx) => {
        const experiment = await tx.experiment.update({
          where: { id },
          data: {
            name: input.name,
            description: input.description,
            datasetId: input.datasetId === undefined ? undefined : input.datasetId,
            trainingConfig: config as Prisma.InputJsonObject | undefined,
          },
        });
        return { result: experiment, event: this.event("EXPERIMENT_UPDATED", experiment, "updated") };
      }),
    );
  }

  async archive(id: string): Promise<Experiment> {
    const current = await this.find(id);
    if (current.status === "ARCHIVED") return current;
    const live = await this.prisma.run.count({ where: { experimentId: id, status: { in: ["PENDING", "RUNNING"] } } });
    if (live > 0) throw BadUserInputError.forField("id", `'${current.name}' has ${live} run(s) pending or running; cancel them before archiving`);
    return this.setStatus(current, "ARCHIVED", "EXPERIMENT_ARCHIVED", "archived");
  }

  async unarchive(id: string): Promise<Experiment> {
    const current = await this.find(id);
    if (current.status !== "ARCHIVED") throw BadUserInputError.forField("id", `'${current.name}' is not archived`);
    return this.setStatus(current, "DRAFT", "EXPERIMENT_UNARCHIVED", "unarchived");
  }

  private setStatus(current: Experiment, status: ExperimentStatus, type: string, verb: string): Promise<Experiment> {
    return this.deps.activity.transaction(this.prisma, async (tx) => {
      const experiment = await tx.experiment.update({ where: { id: current.id }, data: { status } });
      return { result: experiment, event: this.event(type, experiment, verb) };
    });
  }

  async find(id: string, tx: Tx | PrismaClient = this.prisma): Promise<Experiment> {
    const experiment = await tx.experiment.findUnique({ where: { id } });
    if (!experiment) throw new NotFoundError(`experiment '${id}' does not exist`);
    return experiment;
  }

  /**
   * After a run ends or is deleted: best run = the completed run with the lowest final loss; status from
   * the runs (none: DRAFT; any live: RUNNING; all failed: FAILED with the last error; else COMPLETED).
   * An archived experiment stays archived.
   */
  async recompute(tx: Tx, experimentId: string): Promise<Experiment> {
    const runs = await tx.run.findMany({
      where: { experimentId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, status: true, finalLoss: true, error: true },
    });
    const completed = runs.filter((run) => run.status === "COMPLETED" && run.finalLoss !== null);
    const best = completed.reduce<(typeof completed)[number] | null>((a, b) => (a && a.finalLoss! <= b.finalLoss! ? a : b), null);
    const current = await this.find(experimentId, tx);
    return tx.experiment.update({
      where: { id: experimentId },
      data: { bestRunId: best?.id ?? null, bestLoss: best?.finalLoss ?? null, ...statusOf(current, runs) },
    });
  }

  private async ensureDataset(id: string): Promise<void> {
    await this.ensureExists("datasetId", id, (datasetId) => this.prisma.dataset.findUnique({ where: { id: datasetId }, select: { id: true } }));
  }

  private async ensureExists(field: string, id: string, find: (id: string) => Promise<unknown>): Promise<void> {
    if (!(await find(id))) throw BadUserInputError.forField(field, `${field} '${id}' does not exist`);
  }

  private async write(name: string, change: () => Promise<Experiment>): Promise<Experiment> {
    try {
      return await change();
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`an experiment named '${name}' exists`);
      throw error;
    }
  }

  private event(type: string, experiment: Experiment, verb: string) {
    return { type, message: `experiment ${experiment.name} ${verb}`, subjectType: "Experiment", subjectId: experiment.id };
  }
}

type RunSummary = { status: string; error: string | null };

function statusOf(current: Experiment, runs: RunSummary[]): { status?: ExperimentStatus; lastError?: string | null } {
  if (current.status === "ARCHIVED") return {};
  if (runs.length === 0) return { status: "DRAFT" };
  if (runs.some((run) => run.status === "PENDING" || run.status === "RUNNING")) return { status: "RUNNING" };
  const failed = runs.filter((run) => run.status === "FAILED");
  if (failed.length === runs.length) return { status: "FAILED", lastError: failed[failed.length - 1]!.error };
  return { status: "COMPLETED" };
}
