import { migratedSnapshotPath } from "./pglite-snapshot.js";

export default async function setup(): Promise<void> {
  await migratedSnapshotPath();
}
