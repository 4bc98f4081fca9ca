import type { Command } from "commander";
import { cliContext } from "../cli-context";

export function registerDbCommands(program: Command): void {
  const db = program.command("db").description("Database maintenance");

  db.command("migrate")
    .description("Apply pending migrations (core set; vector set where pgvector is available)")
    .action(async (_opts: unknown, command: Command) => {
      const { out, withDatabase } = cliContext(command);
      const result = await withDatabase(
        async (_db, database) => ({
          database: database.via,
          location: database.handle.location,
          vectorAvailable: database.handle.vectorAvailable,
          vectorUnavailableReason: database.handle.vectorUnavailableReason ?? null,
        }),
        { migrate: true },
      );
      if (out.json) return out.result(result);
      out.line(`Migrations applied (${result.database}: ${result.location}).`);
      out.line(
        result.vectorAvailable
          ? "Vector features: available (pgvector)."
          : `Vector features: unavailable (${result.vectorUnavailableReason}).`,
      );
    });
}
