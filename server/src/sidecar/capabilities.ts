import ort from "onnxruntime-node";
import type { Logger } from "pino";
import { BUILTIN_TRAINER, BUILTIN_TRAINER_BASE_MODELS, type TrainerCommand } from "../config/trainers.js";
import { encodeModel, node, valueInfo } from "../ml/onnx-graph.js";

/* What a sidecar announces when it registers (DESIGN §6): execution providers, base models, trainers. */

export interface Capabilities {
  executionProviders: string[];
  baseModels: string[];
  trainers: string[];
  version: string;
}

/** Y = Relu(X) over four floats: enough for a provider to have to load, allocate and run. */
function probeGraph(): Uint8Array {
  return encodeModel("lora-studio provider probe", {
    input: [valueInfo("X", [1, 4])],
    output: [valueInfo("Y", [1, 4])],
    initializer: [],
    node: [node("Relu", ["X"], "Y")],
  });
}

/**
 * CUDA only when a session on it really opens and runs: onnxruntime-node lists "cuda" on any Linux x64 machine,
 * with or without a GPU and its libraries. The CPU always.
 */
export async function executionProviders(logger: Logger): Promise<string[]> {
  if (!ort.listSupportedBackends().some(({ name }) => name === "cuda")) return ["CPU"];
  ort.env.logLevel = "fatal";
  try {
    const session = await ort.InferenceSession.create(probeGraph(), { executionProviders: ["cuda"] });
    try {
      await session.run({ X: new ort.Tensor("float32", new Float32Array([-1, 0, 1, 2]), [1, 4]) });
    } finally {
      await session.release();
    }
    return ["CUDA", "CPU"];
  } catch (error) {
    logger.info(`CUDA is not usable here, training and inference run on the CPU (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`);
    return ["CPU"];
  }
}

export async function detectCapabilities(trainers: readonly TrainerCommand[], logger: Logger): Promise<Capabilities> {
  return {
    executionProviders: await executionProviders(logger),
    baseModels: [...new Set([...BUILTIN_TRAINER_BASE_MODELS, ...trainers.flatMap((trainer) => trainer.baseModels)])],
    trainers: [BUILTIN_TRAINER, ...trainers.map((trainer) => trainer.name)],
    version: `node ${process.version}, onnxruntime ${ort.env.versions.node ?? ort.env.versions.common}`,
  };
}
