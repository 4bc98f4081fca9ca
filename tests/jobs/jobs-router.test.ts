import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueJobRun } from "~/jobs/local/enqueue-job-run";
import { pruneJobRuns } from "~/jobs/housekeeping/prune-job-runs.handler";
import type { DatabaseHandle } from "~/server/db";
import * as schema from "~/server/db/schema";
import { createTestDatabase } from "../helpers/db";
import { callerFor, makeOrg, type OrgFixture } from "../helpers/factories";

/*
 * The jobs router over PGlite: an org sees its own runs (admins also the instance-wide ones,
 * read-only and without their error text), never another org's; retry and run-now need jobs:run.
 */

let handle: DatabaseHandle;
let a: OrgFixture;
let b: OrgFixture;
const db = () => handle.db;
const as = (f: OrgFixture, role: keyof OrgFixture["users"]) => callerFor(db(), f.users[role]);
const job = { id: "knowledge/ingest-file", retries: 3 };
const CRON_JOB = "maintenance/cache-cleanup";

async function failure(p: Promise<unknown>): Promise<TRPCError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "the call should have failed").toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

async function failedRun(orgId: string | null, error = "upstream said no") {
  const run = (await enqueueJobRun(db(), { job, data: { orgId }, orgId, trigger: "event" }))!;
  await db()
    .update(schema.jobRuns)
    .set({ status: "failed", attempts: 4, error, finishedAt: new Date(), durationMs: 1234 })
    .where(eq(schema.jobRuns.id, run.id));
  return run.id;
}

let runA: string;
let runB: string;
let instanceRun: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  a = await makeOrg(db(), "Jobs A");
  b = await makeOrg(db(), "Jobs B");
  runA = await failedRun(a.org.id);
  runB = await failedRun(b.org.id, "secret of org B");
  instanceRun = await failedRun(null, "org B's table is broken");
});
afterAll(async () => {
  await handle.close();
});

describe("runs", () => {
  it("a viewer sees the org's runs only; an admin also the instance-wide ones, redacted", async () => {
    const viewer = await as(a, "viewer").jobs.runs({ orgSlug: a.org.slug });
    expect(viewer.driver).toBe("local");
    expect(viewer.runs.map((r) => r.id)).toEqual([runA]);
    expect(viewer.runs[0]).toMatchObject({
      status: "failed",
      attempts: 4,
      maxAttempts: 4,
      durationMs: 1234,
      error: "upstream said no",
      instance: false,
      jobName: "Knowledge: ingest a file",
    });

    const admin = await as(a, "admin").jobs.runs({ orgSlug: a.org.slug });
    expect(admin.runs.map((r) => r.id).sort()).toEqual([runA, instanceRun].sort());
    const instance = admin.runs.find((r) => r.id === instanceRun)!;
    expect(instance.instance).toBe(true);
    expect(instance.error).not.toContain("org B");
    expect(JSON.stringify(admin)).not.toContain(runB);
  });

  it("filters by status", async () => {
    const queued = await as(a, "owner").jobs.runs({ orgSlug: a.org.slug, status: "queued" });
    expect(queued.runs).toEqual([]);
    const failed = await as(a, "owner").jobs.runs({
      orgSlug: a.org.slug,
      status: "failed",
      limit: 1,
    });
    expect(failed.runs).toHaveLength(1);
  });

  it("a non-member cannot read another org's runs", async () => {
    const err = await failure(as(b, "owner").jobs.runs({ orgSlug: a.org.slug }));
    expect(err.code).toBe("NOT_FOUND");
  });
});

describe("retry", () => {
  it("only admins and owners retry; the run is queued again with fresh tries and audited", async () => {
    expect(
      (await failure(as(a, "developer").jobs.retry({ orgSlug: a.org.slug, runId: runA }))).code,
    ).toBe("FORBIDDEN");
    const result = await as(a, "admin").jobs.retry({ orgSlug: a.org.slug, runId: runA });
    expect(result).toEqual({ id: runA, status: "queued" });
    const [row] = await db().select().from(schema.jobRuns).where(eq(schema.jobRuns.id, runA));
    expect(row).toMatchObject({ status: "queued", attempts: 0, error: null, finishedAt: null });
    const audit = await db()
      .select()
      .from(schema.auditEvents)
      .where(
        and(eq(schema.auditEvents.orgId, a.org.id), eq(schema.auditEvents.action, "job_run.retry")),
      );
    expect(audit).toHaveLength(1);
    // Not failed any more: retrying again is a conflict.
    expect(
      (await failure(as(a, "admin").jobs.retry({ orgSlug: a.org.slug, runId: runA }))).code,
    ).toBe("CONFLICT");
  });

  it("cannot retry another org's run or an instance run", async () => {
    expect(
      (await failure(as(a, "owner").jobs.retry({ orgSlug: a.org.slug, runId: runB }))).code,
    ).toBe("NOT_FOUND");
    expect(
      (await failure(as(a, "owner").jobs.retry({ orgSlug: a.org.slug, runId: instanceRun }))).code,
    ).toBe("NOT_FOUND");
    const [row] = await db().select().from(schema.jobRuns).where(eq(schema.jobRuns.id, runB));
    expect(row!.status).toBe("failed");
  });
});

describe("schedules and run now", () => {
  it("lists the crons with their next tick; viewers may not", async () => {
    const schedules = await as(a, "admin").jobs.schedules({ orgSlug: a.org.slug });
    const cleanup = schedules.find((s) => s.jobId === CRON_JOB)!;
    expect(cleanup.cron).toBe("15 * * * *");
    expect(cleanup.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    expect(cleanup.nextRunAt!.getUTCMinutes()).toBe(15);
    expect(schedules.some((s) => s.jobId === "jobs/prune-job-runs")).toBe(true);
    expect(schedules.some((s) => s.jobId === "knowledge/ingest-file")).toBe(false);
    expect((await failure(as(a, "viewer").jobs.schedules({ orgSlug: a.org.slug }))).code).toBe(
      "FORBIDDEN",
    );
  });

  it("run now queues one instance run of a cron job, once at a time", async () => {
    const run = await as(a, "owner").jobs.runNow({ orgSlug: a.org.slug, jobId: CRON_JOB });
    expect(run).toMatchObject({
      jobId: CRON_JOB,
      status: "queued",
      trigger: "manual",
      instance: true,
    });
    expect(
      (await failure(as(a, "owner").jobs.runNow({ orgSlug: a.org.slug, jobId: CRON_JOB }))).code,
    ).toBe("CONFLICT");
    expect(
      (
        await failure(
          as(a, "owner").jobs.runNow({ orgSlug: a.org.slug, jobId: "knowledge/ingest-file" }),
        )
      ).code,
    ).toBe("BAD_REQUEST");
    expect(
      (await failure(as(a, "owner").jobs.runNow({ orgSlug: a.org.slug, jobId: "nope/nothing" })))
        .code,
    ).toBe("NOT_FOUND");
    expect(
      (await failure(as(a, "viewer").jobs.runNow({ orgSlug: a.org.slug, jobId: CRON_JOB }))).code,
    ).toBe("FORBIDDEN");
    // Org B's admin sees the instance run, not org A's audit entry.
    const bRuns = await as(b, "admin").jobs.runs({ orgSlug: b.org.slug });
    expect(bRuns.runs.some((r) => r.id === run.id)).toBe(true);
    expect(bRuns.runs.some((r) => r.id === runA)).toBe(false);
  });
});

describe("pruning", () => {
  it("deletes finished runs past the retention, keeps recent and unfinished ones", async () => {
    const old = await failedRun(null, "old");
    await db()
      .update(schema.jobRuns)
      .set({ finishedAt: new Date(Date.now() - 40 * 86_400_000) })
      .where(eq(schema.jobRuns.id, old));
    const pruned = await pruneJobRuns(db(), new Date());
    expect(pruned.runs).toBe(1);
    const left = await db().select({ id: schema.jobRuns.id }).from(schema.jobRuns);
    expect(left.map((r) => r.id)).not.toContain(old);
    expect(left.map((r) => r.id)).toContain(runB);
  });
});
