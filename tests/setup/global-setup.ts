import { mkdirSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { stopTestPostgres } from "./postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** Run directory of the lazily started test PostgreSQL (see tests/setup/postgres.ts). */
    postgresRunDir: string;
  }
}

export default function setup(project: TestProject) {
  mkdirSync("tests/output", { recursive: true });
  // Only reserves a directory: PostgreSQL starts when a test first asks for it.
  const postgresRunDir = mkdtempSync(path.join(os.tmpdir(), "switchyard-test-pg-"));
  project.provide("postgresRunDir", postgresRunDir);
  return async () => {
    await stopTestPostgres(postgresRunDir);
  };
}
