import type { Inngest, InngestFunction } from "inngest";
import type { JobDefinition } from "../define-job";

type Retries =
  0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20;

/**
 * One JobDefinition as an Inngest function: same id, trigger, retries and concurrency. The
 * handler module is imported on the first run only, and Inngest's `step.run` gives the memoized,
 * durable steps the contract promises.
 */
export function toInngestFunction<D>(client: Inngest, job: JobDefinition<D>): InngestFunction.Any {
  const trigger =
    "event" in job.trigger ? { event: job.trigger.event } : { cron: `TZ=UTC ${job.trigger.cron}` };
  const limit = job.concurrency ?? ("cron" in job.trigger ? 1 : undefined);
  return client.createFunction(
    {
      id: job.id,
      name: job.name,
      triggers: [trigger],
      retries: Math.min(20, Math.max(0, job.retries ?? 3)) as Retries,
      ...(limit !== undefined ? { concurrency: { limit } } : {}),
    },
    async ({ event, step, runId, attempt, logger }) => {
      const handler = await job.handler();
      return handler({
        event: { id: event.id ?? runId, name: event.name, data: event.data as D },
        step: { run: (id, fn) => step.run(id, fn) as never },
        runId,
        // Inngest counts from 0; the contract counts tries from 1.
        attempt: attempt + 1,
        logger: {
          info: (m, f) => logger.info(m, f),
          warn: (m, f) => logger.warn(m, f),
          error: (m, f) => logger.error(m, f),
        },
      });
    },
  ) as unknown as InngestFunction.Any;
}

/** Every registered job as an Inngest function (what `/api/inngest` serves). */
export function inngestFunctions(
  client: Inngest,
  jobs: readonly JobDefinition<unknown>[],
): InngestFunction.Any[] {
  return jobs.map((job) => toInngestFunction(client, job));
}
