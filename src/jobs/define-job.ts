/**
 * The one shape every background job has, whichever driver runs it (Inngest when configured,
 * the local driver otherwise). A definition is cheap to import: the handler module is loaded on
 * the first run only.
 */

/** Durable steps: a step that completed is never run again when the run is retried or resumed. */
export interface JobStep {
  /** Runs `fn` once per run; its result (JSON-serializable) is remembered under `id`. */
  run<T>(id: string, fn: () => Promise<T> | T): Promise<T>;
}

export interface JobEvent<D> {
  id: string;
  name: string;
  data: D;
}

export interface JobLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface JobContext<D> {
  event: JobEvent<D>;
  step: JobStep;
  runId: string;
  /** 1 on the first try, 2 on the first retry, … */
  attempt: number;
  logger: JobLogger;
}

export type JobHandler<D> = (ctx: JobContext<D>) => Promise<unknown>;

export type JobTrigger = { event: string } | { cron: string };

export interface JobDefinition<D = unknown> {
  /** Stable id, e.g. `maintenance/cache-cleanup`. */
  id: string;
  /** What the console shows. */
  name: string;
  trigger: JobTrigger;
  /** Retries after the first failure (default 3), with exponential backoff. */
  retries?: number;
  /** Runs of this job at once (default: unlimited for events, 1 for crons). */
  concurrency?: number;
  /** Lazily imports the handler (`() => import("./x.handler").then((m) => m.default)`). */
  handler: () => Promise<JobHandler<D>>;
}

export function defineJob<D = unknown>(definition: JobDefinition<D>): JobDefinition<D> {
  return definition;
}
