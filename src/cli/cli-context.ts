import type { Command } from "commander";
import { env } from "~/env";
import { setLogLevel } from "~/lib/logger";
import type { Db } from "~/server/db";
import { orgSlugInputSchema } from "~/features/orgs/schemas";
import { parseInput } from "./cli-error";
import { createOutput, type Output } from "./output";
import { openCliDatabase, type CliDatabase } from "./open-cli-database";

export interface CliContext {
  out: Output;
  /** Opens the database (see open-cli-database.ts), runs `fn`, and always closes it. */
  withDatabase<T>(
    fn: (db: Db, database: CliDatabase) => Promise<T>,
    options?: { migrate?: boolean },
  ): Promise<T>;
}

/** The context of one command invocation: global flags (--json) are read from the command. */
export function cliContext(command: Command): CliContext {
  const { json } = command.optsWithGlobals<{ json?: boolean }>();
  const out = createOutput({ json: Boolean(json) });
  return {
    out,
    async withDatabase(fn, options = {}) {
      const e = env();
      setLogLevel(e.LOG_LEVEL);
      const database = await openCliDatabase({
        dataDir: e.dataDir,
        databaseUrl: e.DATABASE_URL,
        migrate: options.migrate,
        progress: out.progress,
      });
      try {
        return await fn(database.handle.db, database);
      } finally {
        await database.close();
      }
    },
  };
}

/** `--org <slug>`: validated like the console validates slugs before any database work. */
export function parseOrgSlug(value: string): string {
  return parseInput(orgSlugInputSchema, value, "--org");
}
