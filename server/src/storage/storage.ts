import type { Readable } from "node:stream";

/*
 * Stored files, by key: each area holds keys (one adapter version, one sample, one delivery, one run, one staged
 * upload), each key a few named files. Domains name a file by area, key and name, never by a path, so the local data
 * directory (local-disk.ts, shared between replicas on one volume) can be joined by an object store without them.
 */

export type StorageAreaName = "adapters" | "samples" | "deliveries" | "runs" | "staging";

/** The first and last byte of a part of a file, both included, as an HTTP Range names them. */
export interface ByteRange {
  start: number;
  end: number;
}

export type FileData = string | Uint8Array | AsyncIterable<Uint8Array | string>;

/** A local directory holding one key's files, for the code that needs real paths. */
export interface LocalDir {
  readonly path: string;
  /** the path of one of its files (the name checked as a stored file's name is) */
  file(name: string): string;
}

/** "read": the key's files are there to read; "write": what is written there is stored when `use` returns. */
export type LocalAccess = "read" | "write";

export interface FileArea {
  /** Stores `data` as the key's file `name`, replacing a file of that name. */
  put(key: string, name: string, data: FileData): Promise<void>;
  /** The file's bytes, or those of `range`, as they are read: a missing file errors the stream (ENOENT). */
  read(key: string, name: string, range?: ByteRange): Readable;
  /** The whole file in memory, for small files; rejects (ENOENT) when it is missing. */
  readAll(key: string, name: string): Promise<Buffer>;
  /** null when there is no such file */
  stat(key: string, name: string): Promise<{ sizeBytes: number } | null>;
  /** the names of the key's files; none when the key has none */
  list(key: string): Promise<string[]>;
  /** Removes the key with all its files; a missing key is no error. */
  remove(key: string): Promise<void>;
  /**
   * The seam for code that needs real files: worker threads that hash, inspect or render, a command's working
   * directory. On the local disk `use` gets the key's stored directory itself; an object store would download the
   * key's files to a local directory before `use` ("read") or upload what `use` wrote there after it ("write").
   */
  withLocalDir<T>(key: string, access: LocalAccess, use: (dir: LocalDir) => Promise<T>): Promise<T>;
}

export interface Storage {
  readonly adapters: FileArea;
  readonly samples: FileArea;
  readonly deliveries: FileArea;
  readonly runs: FileArea;
  /** files on their way in (an upload, a registered copy), until they are committed as an adapter version */
  readonly staging: FileArea;
  /** a key no other stored thing has, for a new staging entry */
  newKey(): string;
  /** Moves a staged key's files into `adapters` under a fresh key, which it returns. */
  commitStaged(stagingKey: string): Promise<string>;
}

/** One stored file, as the HTTP routes serve it. */
export interface StoredFile {
  area: FileArea;
  key: string;
  name: string;
}

export class InvalidStorageNameError extends Error {}

/**
 * A key or a file name is one path segment, so it can never reach outside its area: not empty, not "." or "..",
 * without "/", "\" or NUL.
 */
export function checkedSegment(segment: string): string {
  if (segment === "" || segment === "." || segment === ".." || /[/\\\0]/.test(segment) || segment.length > 255) {
    throw new InvalidStorageNameError(`'${segment.replaceAll("\0", "\\0")}' is not a stored key or file name: one path segment without /, \\ or NUL, not . or ..`);
  }
  return segment;
}
