import { sql } from "drizzle-orm";
import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { organizations } from "./organizations";

/**
 * Background jobs run by the local driver (the default when Inngest is not configured): every
 * event and every run is a row, so a crash or restart loses no work, and several server processes
 * share one queue (runs are claimed with `FOR UPDATE SKIP LOCKED` and held under a lease).
 */

export const JOB_RUN_STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const;
export type JobRunStatus = (typeof JOB_RUN_STATUSES)[number];

/** What created a run: an event, a cron tick, or someone asking for it (console, CLI). */
export const JOB_RUN_TRIGGERS = ["event", "cron", "manual"] as const;
export type JobRunTrigger = (typeof JOB_RUN_TRIGGERS)[number];

export const jobEvents = pgTable(
  "job_events",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    data: jsonb("data").$type<unknown>(),
    /** Events with the same key are accepted once (the second send returns the first event). */
    idempotencyKey: text("idempotency_key"),
    /** The org the event concerns; null for instance-wide events. */
    orgId: text("org_id").references(() => organizations.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("job_events_idempotency_key_idx")
      .on(t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    index("job_events_created_idx").on(t.createdAt),
  ],
);

export const jobRuns = pgTable(
  "job_runs",
  {
    id: text("id").primaryKey(),
    /** The JobDefinition id, e.g. `maintenance/cache-cleanup`. */
    jobId: text("job_id").notNull(),
    eventId: text("event_id").references(() => jobEvents.id, { onDelete: "set null" }),
    /** Null for instance-wide runs (crons, maintenance): no org sees another org's runs. */
    orgId: text("org_id").references(() => organizations.id, { onDelete: "cascade" }),
    trigger: text("trigger", { enum: JOB_RUN_TRIGGERS }).notNull(),
    /** The schedule tick a cron run is for: unique per job, so several instances enqueue it once. */
    cronTick: timestamp("cron_tick", { withTimezone: true }),
    /** The event data handed to the handler. */
    data: jsonb("data").$type<unknown>(),
    status: text("status", { enum: JOB_RUN_STATUSES }).notNull().default("queued"),
    /** Tries started so far (a claim counts, including one after a crash). */
    attempts: integer("attempts").notNull().default(0),
    /** 1 + the job's retries, fixed when the run is created. */
    maxAttempts: integer("max_attempts").notNull(),
    /** When a queued run may be claimed next (now, or later after a failed try's backoff). */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    /** The process holding a running run; its lease expiring means that process is gone. */
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    durationMs: integer("duration_ms"),
    /** The last try's error (kept while a retry is pending, so the console can say why). */
    error: text("error"),
    output: jsonb("output").$type<unknown>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("job_runs_cron_tick_idx")
      .on(t.jobId, t.cronTick)
      .where(sql`${t.cronTick} is not null`),
    index("job_runs_due_idx").on(t.status, t.nextAttemptAt),
    index("job_runs_org_created_idx").on(t.orgId, t.createdAt),
    index("job_runs_job_created_idx").on(t.jobId, t.createdAt),
  ],
);

/** The memoized result of each completed `step.run`: a completed step never runs again. */
export const jobSteps = pgTable(
  "job_steps",
  {
    runId: text("run_id")
      .notNull()
      .references(() => jobRuns.id, { onDelete: "cascade" }),
    stepId: text("step_id").notNull(),
    /** `{ value }` (JSON), so an `undefined` result is remembered too. */
    output: jsonb("output").$type<{ value?: unknown }>().notNull(),
    completedAt: timestamp("completed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.stepId] })],
);
