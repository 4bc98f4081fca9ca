import { Cron } from "croner";

/**
 * Cron expressions are read in UTC, so every instance (and the console's "next run") agrees on a
 * tick whatever the machine's time zone. Five fields (minute precision) or six (seconds first).
 */
function parse(pattern: string): Cron {
  return new Cron(pattern, { timezone: "Etc/UTC", paused: true });
}

/** The first tick strictly after `after`, or null when the schedule has none left. */
export function nextCronTick(pattern: string, after: Date): Date | null {
  return parse(pattern).nextRun(after);
}

/** A readable problem with the expression, or null when croner accepts it. */
export function cronProblem(pattern: string): string | null {
  try {
    parse(pattern);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
