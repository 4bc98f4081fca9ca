import { spawn } from "node:child_process";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { defineJob, type JobDefinition } from "~/jobs/define-job";
import { enqueueJobRun } from "~/jobs/local/enqueue-job-run";
import { createLocalDriver, type LocalDriver } from "~/jobs/local/local-driver";
import { JOBS } from "~/jobs/registry";
import { setDatabase } from "~/server/db";
import { openDatabase, type DatabaseHandle } from "~/server/db/client";
import * as schema from "~/server/db/schema";
import { usePostgres } from "../setup/postgres";

/*
 * The local driver on a real PostgreSQL shared by several "processes" (one connection pool each),
 * and the `jobs` CLI against it: the CLI queues, a driver in this process (standing in for the
 * server) runs, `--wait` prints progress until done.
 */

const TSX = path.resolve("node_modules/tsx/dist/cli.mjs");
let url: string;
const handles: DatabaseHandle[] = [];
const drivers: LocalDriver[] = [];

async function open(): Promise<DatabaseHandle> {
  const handle = await openDatabase({ kind: "postgres", url, max: 4 });
  handles.push(handle);
  return handle;
}

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn", DATABASE_URL: url };
  delete env.SWITCHYARD_CONFIG;
  delete env.INNGEST_DEV;
  delete env.INNGEST_EVENT_KEY;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, "src/cli/index.ts", ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  const pg = await usePostgres(inject("postgresRunDir"));
  url = await pg.createDatabase("jobs");
});
afterAll(async () => {
  await Promise.all(drivers.map((d) => d.stop({ deadlineMs: 1_000 })));
  await Promise.all(handles.map((h) => h.close()));
});

describe("several processes on one PostgreSQL", () => {
  it("each run is executed exactly once (FOR UPDATE SKIP LOCKED)", async () => {
    const executions = new Map<number, number>();
    const job = defineJob<{ i: number }>({
      id: "test/pg-exactly-once",
      name: "Exactly once",
      trigger: { event: "test/pg" },
      handler:
        async () =>
        async ({ event, step }) => {
          await step.run(
            "count",
            () => executions.set(event.data.i, (executions.get(event.data.i) ?? 0) + 1).size,
          );
          await new Promise((r) => setTimeout(r, 5));
        },
    });
    const seed = await open();
    for (let i = 0; i < 40; i++)
      await enqueueJobRun(seed.db, { job, data: { i }, orgId: null, trigger: "manual" });
    const processes = await Promise.all([open(), open(), open()]);
    const group = processes.map((h, n) =>
      createLocalDriver({
        db: h.db,
        jobs: () => [job as JobDefinition<unknown>],
        maxParallel: 4,
        instanceId: `pg-${n}`,
      }),
    );
    const done = async () =>
      (await seed.db.select().from(schema.jobRuns).where(eq(schema.jobRuns.jobId, job.id))).every(
        (r) => r.status === "completed",
      );
    while (!(await done())) await Promise.all(group.map((d) => d.poll()));
    expect(executions.size).toBe(40);
    expect([...executions.values()].every((n) => n === 1)).toBe(true);
    const owners = await seed.db
      .select({ attempts: schema.jobRuns.attempts })
      .from(schema.jobRuns)
      .where(eq(schema.jobRuns.jobId, job.id));
    expect(owners.every((r) => r.attempts === 1)).toBe(true);
  });
});

describe("jobs CLI", () => {
  it("runs a job with --wait while a server-side driver runs it, then lists it", async () => {
    const server = await open();
    // Handlers use the process-wide database, as in the server.
    setDatabase(server);
    const driver = createLocalDriver({ db: server.db, jobs: () => JOBS, pollIntervalMs: 100 });
    drivers.push(driver);
    driver.start();

    const r = await cli(["jobs", "run", "jobs/prune-job-runs", "--wait"]);
    expect(r.code, r.stderr).toBe(0);
    const runId = r.stdout.trim();
    expect(runId).toMatch(/^run_[0-9A-Za-z]{20}$/);
    expect(r.stderr).toContain(`Queued ${runId} (jobs/prune-job-runs).`);
    expect(r.stderr).toMatch(new RegExp(`${runId}: completed in \\d`));

    const list = await cli(["--json", "jobs", "list", "--status", "completed", "--limit", "5"]);
    expect(list.code, list.stderr).toBe(0);
    const runs = JSON.parse(list.stdout) as {
      id: string;
      jobId: string;
      org: string | null;
      status: string;
      attempts: number;
    }[];
    expect(runs.find((x) => x.id === runId)).toMatchObject({
      jobId: "jobs/prune-job-runs",
      org: null,
      status: "completed",
      attempts: 1,
    });

    const table = await cli(["jobs", "list", "--limit", "3"]);
    expect(table.stdout.split("\n")[0]).toMatch(/^RUN\s+JOB\s+ORG\s+STATUS\s+TRIES/);
    expect(table.stdout).toContain("(instance)");
  }, 180_000);

  it("an unknown job exits 1 with one error line; bad input exits 2", async () => {
    const bad = await cli(["jobs", "run", "nope/nothing"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error: There is no job "nope/nothing".');

    expect((await cli(["jobs", "list", "--status", "exploded"])).code).toBe(2);
    const limit = await cli(["jobs", "list", "--limit", "0"]);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain("--limit");
    const data = await cli(["jobs", "run", "jobs/prune-job-runs", "--data", "{oops"]);
    expect(data.code).toBe(2);
    expect(data.stderr).toContain("--data: not valid JSON");
  }, 180_000);
});
