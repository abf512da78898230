import type { Adapter } from "../generated/prisma/client.js";

/** One file of an adapter in storage, as the `files` column lists them. */
export interface StoredAdapterFile {
  name: string;
  /** weights or config */
  role: string;
  sizeBytes: number;
  sha256: string;
}

export function storedFilesOf(adapter: Pick<Adapter, "files">): StoredAdapterFile[] {
  return Array.isArray(adapter.files) ? (adapter.files as unknown as StoredAdapterFile[]) : [];
}
