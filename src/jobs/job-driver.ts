import type { Env } from "~/env";
import type { LocalDriver } from "./local/local-driver";

export type JobDriverKind = "inngest" | "local";

/** Inngest runs the jobs when it is configured; otherwise the server's local driver does. */
export function jobDriverKind(
  config: Pick<Env, "INNGEST_EVENT_KEY" | "INNGEST_DEV">,
): JobDriverKind {
  const dev = config.INNGEST_DEV !== undefined && !["0", "false"].includes(config.INNGEST_DEV);
  return config.INNGEST_EVENT_KEY || dev ? "inngest" : "local";
}

/*
 * The local driver this process runs, if any (only the server process starts one). Kept on
 * globalThis because Next's bundled route handlers load their own copy of this module: an event
 * sent from a tRPC resolver still wakes the server's driver at once instead of at its next poll.
 */
const holder = globalThis as unknown as { __switchyardLocalJobDriver?: LocalDriver | null };

export function setRunningLocalDriver(driver: LocalDriver | null): void {
  holder.__switchyardLocalJobDriver = driver;
}

export function runningLocalDriver(): LocalDriver | null {
  return holder.__switchyardLocalJobDriver ?? null;
}
