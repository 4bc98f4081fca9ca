import type { JobStep } from "../define-job";

/**
 * The run's "now", taken once in a step: a retried or resumed run keeps the time of its first try,
 * so its cutoffs (and the steps already done against them) agree.
 */
export async function runClock(step: JobStep): Promise<Date> {
  return new Date(await step.run("clock", () => new Date().toISOString()));
}

/** Orgs per step of the jobs that walk every org. */
export const ORG_PAGE_SIZE = 100;
