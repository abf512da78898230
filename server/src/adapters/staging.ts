import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { BadUserInputError } from "../errors/domain-errors.js";
import { isRegularFile, resolveUserPath } from "../storage/paths.js";
import type { Storage } from "../storage/storage.js";

export const WEIGHTS_FILE = "adapter_model.safetensors";
/** PEFT's older weights file: a PyTorch pickle, accepted only beside its adapter_config.json */
export const PICKLED_WEIGHTS_FILE = "adapter_model.bin";
export const PEFT_CONFIG_FILE = "adapter_config.json";

/** Files waiting under a staging key to become an adapter version. */
export interface StagedFiles {
  key: string;
  weightsFile: typeof WEIGHTS_FILE | typeof PICKLED_WEIGHTS_FILE;
  hasPeftConfig: boolean;
  originalFilename: string;
}

function weightsFileFor(path: string): StagedFiles["weightsFile"] {
  return basename(path) === PICKLED_WEIGHTS_FILE ? PICKLED_WEIGHTS_FILE : WEIGHTS_FILE;
}

async function totalBytes(paths: string[]): Promise<number> {
  const sizes = await Promise.all(paths.map(async (path) => (await stat(path)).size));
  return sizes.reduce((sum, size) => sum + size, 0);
}

/** A file to stage: its name there, and its content, opened only when it is written. */
interface StagedFile {
  name: string;
  content: () => AsyncIterable<Uint8Array>;
}

export interface RegistrableSource {
  weights: string;
  config: string | null;
}

export interface UploadPlan {
  weights: File;
  config: File | null;
}

/**
 * Brings adapter files under a private staging key — copied from below the import roots or written
 * from an upload — under fixed names, so stored versions never collide. The files read here below
 * the import roots are the user's own; the staged ones are written through storage.
 */
export class AdapterStaging {
  constructor(
    private readonly storage: Storage,
    private readonly importRoots: string[],
    private readonly maxUploadBytes: number,
  ) {}

  /** A registrable source: a .safetensors file, or a PEFT directory / weights file beside its config. */
  async resolveRegistrable(filePath: string): Promise<RegistrableSource> {
    const path = await this.belowRoots(filePath);
    const info = await stat(path);
    const dir = info.isDirectory() ? path : null;
    if (dir) return this.peftDirectory(filePath, dir);
    const pickled = basename(path) === PICKLED_WEIGHTS_FILE;
    if (!info.isFile() || !(pickled || path.toLowerCase().endsWith(".safetensors"))) {
      throw BadUserInputError.forField("filePath", `${filePath} is not a .safetensors file or a PEFT adapter directory`);
    }
    const config = [WEIGHTS_FILE, PICKLED_WEIGHTS_FILE].includes(basename(path)) ? await this.siblingConfig(dirname(path)) : null;
    if (pickled && !config) throw BadUserInputError.forField("filePath", `${PICKLED_WEIGHTS_FILE} is accepted only beside its ${PEFT_CONFIG_FILE}`);
    return { weights: path, config };
  }

  /** A PEFT directory: its safetensors weights, else its pickled ones, and its config. */
  private async peftDirectory(filePath: string, dir: string): Promise<RegistrableSource> {
    const config = await this.siblingConfig(dir);
    for (const name of [WEIGHTS_FILE, ...(config ? [PICKLED_WEIGHTS_FILE] : [])]) {
      if (await isRegularFile(join(dir, name))) return { weights: await this.belowRoots(join(dir, name)), config };
    }
    throw BadUserInputError.forField("filePath", `${filePath} is a directory without ${WEIGHTS_FILE}; point to a PEFT adapter directory or a .safetensors file`);
  }

  private async siblingConfig(dir: string): Promise<string | null> {
    const candidate = join(dir, PEFT_CONFIG_FILE);
    return (await isRegularFile(candidate)) ? this.belowRoots(candidate) : null;
  }

  private belowRoots(path: string): Promise<string> {
    return resolveUserPath(path, this.importRoots, "filePath");
  }

  /** Refuses a source over MAX_UPLOAD_MB before anything is copied. */
  async checkSourceSize(source: RegistrableSource): Promise<void> {
    this.refuseOverLimit(await totalBytes([source.weights, ...(source.config ? [source.config] : [])]), "filePath", basename(source.weights));
  }

  /** Copies the source into staging so a registered version never changes when its source does. */
  async stageFromPath(source: RegistrableSource): Promise<StagedFiles> {
    await this.checkSourceSize(source);
    const { weights, config } = source;
    const files: StagedFile[] = [{ name: weightsFileFor(weights), content: () => createReadStream(weights) }];
    if (config) files.push({ name: PEFT_CONFIG_FILE, content: () => createReadStream(config) });
    const key = await this.stage(files, "filePath", basename(source.weights));
    return { key, weightsFile: weightsFileFor(source.weights), hasPeftConfig: Boolean(source.config), originalFilename: basename(source.weights) };
  }

  planUpload(files: File[]): UploadPlan {
    const refuse = (message: string) => BadUserInputError.forField("files", message);
    if (files.length === 0) throw refuse("no file was sent; send one .safetensors file or a PEFT pair (adapter_config.json + adapter_model.safetensors)");
    if (files.length > 2) throw refuse(`${files.length} files were sent; send one .safetensors file or a PEFT pair`);
    const configs = files.filter((f) => basename(f.name) === PEFT_CONFIG_FILE);
    const weights = files.filter((f) => f.name.toLowerCase().endsWith(".safetensors") || (configs.length === 1 && basename(f.name) === PICKLED_WEIGHTS_FILE));
    if (weights.length !== 1) throw refuse(`exactly one .safetensors file is needed (or ${PICKLED_WEIGHTS_FILE} beside ${PEFT_CONFIG_FILE})`);
    if (files.length === 2 && configs.length !== 1) throw refuse(`the second file must be ${PEFT_CONFIG_FILE}`);
    this.refuseOverLimit(files.reduce((sum, f) => sum + f.size, 0), "files", "the upload");
    return { weights: weights[0]!, config: configs[0] ?? null };
  }

  /** The one size limit of every way a file enters: uploads, paths, Civitai imports and trainers' results. */
  private refuseOverLimit(bytes: number, field: string, what: string): void {
    if (bytes > this.maxUploadBytes) {
      throw BadUserInputError.forField(field, `${what} is ${bytes} bytes; the limit is ${this.maxUploadBytes} bytes (MAX_UPLOAD_MB)`);
    }
  }

  async stageUpload(plan: UploadPlan): Promise<StagedFiles> {
    // Yoga's File streams are async-iterable ponyfills, not Node's web streams.
    const contentOf = (file: File) => () => file.stream() as unknown as AsyncIterable<Uint8Array>;
    const files: StagedFile[] = [{ name: weightsFileFor(plan.weights.name), content: contentOf(plan.weights) }];
    if (plan.config) files.push({ name: PEFT_CONFIG_FILE, content: contentOf(plan.config) });
    const key = await this.stage(files, "files", "the upload");
    return { key, weightsFile: weightsFileFor(plan.weights.name), hasPeftConfig: Boolean(plan.config), originalFilename: basename(plan.weights.name) };
  }

  /** Writes the files under a fresh staging key, which it returns; a failure leaves nothing staged. */
  private async stage(files: StagedFile[], field: string, what: string): Promise<string> {
    const { staging } = this.storage;
    const key = this.storage.newKey();
    try {
      for (const file of files) await staging.put(key, file.name, file.content());
      await this.checkStagedSize(key, field, what);
    } catch (error) {
      await staging.remove(key);
      throw error;
    }
    return key;
  }

  /** What was actually written counts, whatever sizes were announced: a source can grow while it is copied. */
  private async checkStagedSize(key: string, field: string, what: string): Promise<void> {
    const { staging } = this.storage;
    const sizes = await Promise.all((await staging.list(key)).map(async (name) => (await staging.stat(key, name))?.sizeBytes ?? 0));
    this.refuseOverLimit(sizes.reduce((sum, size) => sum + size, 0), field, what);
  }
}
