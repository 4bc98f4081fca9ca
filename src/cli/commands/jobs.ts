import type { Command } from "commander";
import { z } from "zod";
import { jobRunStatusSchema } from "~/features/jobs/schemas";
import { formatDuration } from "~/features/jobs/job-run-format";
import { getJobRun, listAllJobRuns } from "~/features/jobs/server/list-all-job-runs";
import { runJobNow } from "~/features/jobs/server/run-job-now";
import type { jobRuns } from "~/server/db/schema";
import { CLI_ACTOR } from "~/server/domain/actor";
import { parseInput, UsageError } from "../cli-error";
import { cliContext } from "../cli-context";
import { formatDate } from "../output";

type JobRun = typeof jobRuns.$inferSelect;

const limitSchema = z.coerce.number().int().min(1, "at least 1").max(1000, "at most 1000");
const waitPollMs = 500;
/** When nothing picks a run up for this long, say why that may be. */
const IDLE_HINT_MS = 10_000;

function parseData(text: string | undefined): unknown {
  if (text === undefined) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`--data: not valid JSON (e.g. '{"orgId":"org_…"}')`);
  }
}

function runJson(run: JobRun & { orgSlug?: string | null }) {
  return {
    id: run.id,
    jobId: run.jobId,
    org: run.orgSlug ?? null,
    trigger: run.trigger,
    status: run.status,
    attempts: run.attempts,
    maxAttempts: run.maxAttempts,
    nextAttemptAt: run.nextAttemptAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    durationMs: run.durationMs,
    error: run.error,
    createdAt: run.createdAt.toISOString(),
  };
}

function progressLine(run: JobRun): string {
  switch (run.status) {
    case "queued":
      return run.attempts === 0
        ? `${run.id}: queued`
        : `${run.id}: try ${run.attempts}/${run.maxAttempts} failed (${run.error ?? "no message"}); retrying at ${formatDate(run.nextAttemptAt)}`;
    case "running":
      return `${run.id}: running (try ${run.attempts}/${run.maxAttempts})`;
    case "completed":
      return `${run.id}: completed in ${formatDuration(run.durationMs)}`;
    case "failed":
      return `${run.id}: failed after ${run.attempts} tries: ${run.error ?? "no message"}`;
    case "cancelled":
      return `${run.id}: cancelled`;
  }
}

export function registerJobCommands(program: Command): void {
  const jobs = program
    .command("jobs")
    .description("Background jobs: recent runs of every org and of the instance; run one now");

  jobs
    .command("list")
    .description("Recent job runs, newest first (all orgs and instance-wide runs)")
    .option(
      "--status <status>",
      "only runs in this status: queued, running, completed, failed, cancelled",
    )
    .option("--limit <n>", "how many runs", "50")
    .action(async (opts: { status?: string; limit: string }, command: Command) => {
      const { out, withDatabase } = cliContext(command);
      const status =
        opts.status === undefined
          ? undefined
          : parseInput(jobRunStatusSchema, opts.status, "--status");
      const limit = parseInput(limitSchema, opts.limit, "--limit");
      const runs = await withDatabase((db) => listAllJobRuns(db, { status, limit }));
      if (out.json) return out.result(runs.map(runJson));
      if (runs.length === 0) {
        return out.line(
          status ? `No ${status} job runs.` : "No job runs yet. Start one with: jobs run <job-id>",
        );
      }
      out.table(
        ["RUN", "JOB", "ORG", "STATUS", "TRIES", "CREATED", "DURATION", "ERROR"],
        runs.map((r) => [
          r.id,
          r.jobId,
          r.orgSlug ?? "(instance)",
          r.status,
          `${r.attempts}/${r.maxAttempts}`,
          formatDate(r.createdAt),
          r.durationMs === null ? null : formatDuration(r.durationMs),
          r.error ? r.error.replace(/\s+/g, " ").slice(0, 120) : null,
        ]),
      );
    });

  jobs
    .command("run")
    .description("Queue a run of a job now; the server's job driver (or Inngest) runs it")
    .argument("<job-id>", "the job, e.g. maintenance/cache-cleanup")
    .option("--data <json>", "event data handed to the job (event-triggered jobs)")
    .option("--wait", "print progress until the run completes or fails (exit 1 if it fails)")
    .option("--timeout <seconds>", "with --wait: stop waiting after this long", "600")
    .action(
      async (
        jobId: string,
        opts: { data?: string; wait?: boolean; timeout: string },
        command: Command,
      ) => {
        const { out, withDatabase } = cliContext(command);
        const data = parseData(opts.data);
        const timeoutMs =
          parseInput(z.coerce.number().int().min(1).max(86_400), opts.timeout, "--timeout") * 1000;
        const final = await withDatabase(async (db) => {
          const run = await runJobNow(db, {
            orgId: null,
            actor: CLI_ACTOR,
            jobId,
            data,
            allowEventJobs: true,
          });
          out.progress(`Queued ${run.id} (${run.jobId}).`);
          if (!opts.wait) return run;
          const started = Date.now();
          let last = "";
          let hinted = false;
          for (;;) {
            const current = (await getJobRun(db, run.id)) ?? run;
            const line = progressLine(current);
            if (line !== last) out.progress(line);
            last = line;
            if (
              current.status === "completed" ||
              current.status === "failed" ||
              current.status === "cancelled"
            ) {
              return current;
            }
            if (
              !hinted &&
              current.status === "queued" &&
              current.attempts === 0 &&
              Date.now() - started > IDLE_HINT_MS
            ) {
              hinted = true;
              out.progress(
                "Nothing has picked it up yet: jobs run in a Switchyard server process (npm start), not in the CLI.",
              );
            }
            if (Date.now() - started > timeoutMs) {
              out.progress(
                `Stopped waiting after ${opts.timeout} s; the run goes on in the background.`,
              );
              return current;
            }
            await new Promise((r) => setTimeout(r, waitPollMs));
          }
        });
        if (out.json) out.result(runJson(final));
        else out.line(final.id);
        // Exit 1 (one `error:` line) when waiting did not end in success.
        if (opts.wait && final.status !== "completed") {
          throw new Error(
            final.status === "failed"
              ? `${final.id} failed: ${final.error ?? "no message"}`
              : `${final.id} is still ${final.status}`,
          );
        }
      },
    );
}
