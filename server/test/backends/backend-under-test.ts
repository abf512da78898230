import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";

/*
 * The backend a client test talks to: its contract server on a fresh LoRA folder, or the real server at <KIND>_URL
 * whose LoRA folder is <KIND>_LORA_DIR (writable here). What a test writes there is removed after it.
 */

export interface BackendUnderTest<Contract> {
  readonly real: boolean;
  /** the contract server; null against a real backend */
  contract: Contract | null;
  url: string;
  /** writes `<name>.safetensors` into the backend's LoRA folder */
  writeLora(name: string, bytes: Uint8Array): Promise<void>;
}

/** Registers the set-up and clean-up of each test; the object it returns is the current test's backend. */
export function backendUnderTest<Contract extends { url: string; close(): Promise<void> }>(
  kind: "A1111" | "COMFYUI",
  startContract: (loraDir: string) => Promise<Contract>,
): BackendUnderTest<Contract> {
  const realUrl = process.env[`${kind}_URL`];
  let loraDir = "";
  let written: string[] = [];
  const backend: BackendUnderTest<Contract> = {
    real: realUrl !== undefined,
    contract: null,
    url: "",
    async writeLora(name, bytes) {
      const path = join(loraDir, `${name}.safetensors`);
      await writeFile(path, bytes);
      written.push(path);
    },
  };

  beforeEach(async () => {
    written = [];
    if (realUrl !== undefined) {
      const dir = process.env[`${kind}_LORA_DIR`];
      if (!dir) throw new Error(`${kind}_LORA_DIR must name the folder the server at ${kind}_URL reads LoRAs from`);
      loraDir = dir;
      backend.url = realUrl;
      return;
    }
    loraDir = await mkdtemp(join(tmpdir(), `${kind.toLowerCase()}-loras-`));
    backend.contract = await startContract(loraDir);
    backend.url = backend.contract.url;
  });

  afterEach(async () => {
    await backend.contract?.close();
    backend.contract = null;
    if (backend.real) await Promise.all(written.map((path) => rm(path, { force: true })));
    else await rm(loraDir, { recursive: true, force: true });
  });

  return backend;
}

/** A plain HTTP server on 127.0.0.1:0 answering with `listener`, for answers no backend would give. */
export async function startRawServer(listener: RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The URL of a port nothing listens on any more. */
export async function closedPortUrl(): Promise<string> {
  const server = await startRawServer(() => undefined);
  await server.close();
  return server.url;
}
