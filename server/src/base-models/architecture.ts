import { DomainError } from "../errors/domain-errors.js";
import type { ArchitectureReport } from "../contracts/worker-tasks.js";
import { architectureVerdict, describeLookalike } from "../formats/architecture.js";
import type { BaseModel } from "../generated/prisma/client.js";
import { ARCHITECTURES, BASE_MODEL_CATALOGUE, fingerprintOf } from "./catalogue.js";

/** A file whose modules are not the architecture of the base model it was registered for. */
export class ArchitectureMismatchError extends DomainError {
  readonly code = "INCOMPATIBLE_ADAPTER";
  constructor(message: string, readonly baseModelId: string, readonly looksLike: string | null) {
    super(message);
  }
}

/**
 * Refuses `file` when its modules (as the worker pool fitted them) do not fit `baseModel`'s architecture fingerprint;
 * a base model without one (discovered, or a family not fingerprinted) is not checked. `chosenBy` says who named the model.
 */
export function checkArchitecture(file: string, baseModel: BaseModel, report: ArchitectureReport, chosenBy: "caller" | "file"): void {
  const entry = BASE_MODEL_CATALOGUE.find((candidate) => candidate.id === baseModel.id);
  const fingerprint = entry ? fingerprintOf(entry) : null;
  if (!fingerprint) return;
  const verdict = architectureVerdict(report, ARCHITECTURES, fingerprint);
  if (verdict.fits) return;
  const named = chosenBy === "caller" ? `baseModelId '${baseModel.id}'` : "the base model its metadata names";
  throw new ArchitectureMismatchError(
    `${file} does not fit ${baseModel.displayName} (${named}): ${verdict.reason}; ${describeLookalike(verdict)}`,
    baseModel.id,
    verdict.looksLike,
  );
}
