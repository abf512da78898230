import ort from "onnxruntime-node";
import { z } from "zod";
import type { Lora } from "../ml/lora.js";
import { encodeInputs, type LogitsFunction, type Model } from "../ml/model.js";
import { inputFeed, loraInputs, OUTPUT_NAME, type GraphFeed } from "../ml/onnx-graph.js";

/*
 * onnxruntime-node for the trainer and the sidecar's inference workers: which execution provider runs the graphs, and the
 * inference graph as a logits function.
 */

export type ExecutionProvider = "cuda" | "cpu";

/** auto (CUDA when onnxruntime has it, else the CPU), or one provider forced: the trainer's TRAINER_DEVICE. */
export const devicePreferenceSchema = z.enum(["auto", "cpu", "cuda"]).default("auto");
export type DevicePreference = z.infer<typeof devicePreferenceSchema>;

/** The providers to try in order. onnxruntime-node lists "cuda" on Linux x64 even when its CUDA libraries are not installed, so a listed CUDA is only tried. */
export function candidateProviders(preference: DevicePreference): ExecutionProvider[] {
  if (preference !== "auto") return [preference];
  return ort.listSupportedBackends().some(({ name }) => name === "cuda") ? ["cuda", "cpu"] : ["cpu"];
}

export interface RuntimeSession {
  session: ort.InferenceSession;
  provider: ExecutionProvider;
}

/**
 * A session on the first provider that opens the graph; throws, naming each provider's failure, when none does.
 * onnxruntime's native log is kept to fatal messages: it would print every failed CUDA probe of a CPU machine as an
 * error, and real failures reach us as exceptions anyway. The tunes graphs are small, so on the CPU one thread beats
 * a thread pool's hand-offs (bench/trainer-steps.ts).
 */
export async function createSession(graph: Uint8Array, providers: readonly ExecutionProvider[]): Promise<RuntimeSession> {
  ort.env.logLevel = "fatal";
  const failures: string[] = [];
  for (const provider of providers) {
    try {
      return { session: await ort.InferenceSession.create(graph, { executionProviders: [provider], intraOpNumThreads: 1 }), provider };
    } catch (error) {
      failures.push(`${provider}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(`onnxruntime could not open the graph (${failures.join("; ")})`);
}

export function toTensors(feeds: readonly GraphFeed[]): Record<string, ort.Tensor> {
  return Object.fromEntries(feeds.map(({ name, data, dims }) => [name, new ort.Tensor("float32", data, dims)]));
}

/** The inference graph's session as a logits function with the LoRA read at each call (so a LoRA in training shows). */
export function onnxLogits(session: ort.InferenceSession, model: Model, lora: Lora): LogitsFunction {
  return async (inputs) => {
    const results = await session.run(toTensors([inputFeed(encodeInputs(model.spec, inputs)), ...loraInputs(model, lora)]));
    const logits = results[OUTPUT_NAME]!;
    return { rows: inputs.length, cols: logits.dims[1]!, data: Float64Array.from(logits.data as Float32Array) };
  };
}
