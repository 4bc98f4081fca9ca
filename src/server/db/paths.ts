import path from "node:path";

/** Path of the embedded database inside the data dir. */
export function pgliteDir(dataDir: string): string {
  return path.join(dataDir, "pglite");
}
