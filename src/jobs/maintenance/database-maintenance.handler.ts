import type { TableMaintenanceResult } from "~/server/db/schema";
import { getDatabase } from "~/server/db";
import {
  MAINTAINED_TABLES,
  maintainTable,
  recordDatabaseMaintenance,
} from "~/server/maintenance/run-database-maintenance";
import type { JobHandler } from "../define-job";
import { runClock } from "./job-clock";

/** One step per table (a retry resumes at the table it stopped on), then one that records the run. */
const handler: JobHandler<unknown> = async ({ step, logger }) => {
  const handle = await getDatabase();
  const startedAt = await runClock(step);
  const tables: TableMaintenanceResult[] = [];
  for (const table of MAINTAINED_TABLES) {
    const result = await step.run(`table:${table}`, () => maintainTable(handle.db, { table }));
    if (result) tables.push(result);
  }
  const { id } = await step.run("record", () =>
    recordDatabaseMaintenance(handle.db, {
      databaseKind: handle.kind,
      tables,
      startedAt,
      finishedAt: new Date(),
    }),
  );
  const failed = tables.filter((t) => t.error);
  if (failed.length > 0) {
    logger.warn("database maintenance: some statements failed", {
      tables: failed.map((t) => `${t.table}: ${t.error}`),
    });
  }
  logger.info("database maintenance done", { id, tables: tables.length });
  return { id, tables };
};

export default handler;
