import { Inngest } from "inngest";
import { env } from "~/env";
import { logger } from "~/lib/logger";

const holder = globalThis as unknown as { __switchyardInngest?: Inngest };

/** The one Inngest client of this process (configured from INNGEST_* in the environment). */
export function inngestClient(): Inngest {
  if (!holder.__switchyardInngest) {
    const e = env();
    const devUrl = e.INNGEST_DEV && /^https?:/.test(e.INNGEST_DEV) ? e.INNGEST_DEV : undefined;
    const isDev = e.INNGEST_DEV !== undefined && !["0", "false"].includes(e.INNGEST_DEV);
    holder.__switchyardInngest = new Inngest({
      id: "switchyard",
      eventKey: e.INNGEST_EVENT_KEY,
      signingKey: e.INNGEST_SIGNING_KEY,
      isDev,
      ...(devUrl ? { baseUrl: devUrl } : {}),
      logger: {
        info: (...args: unknown[]) => logger.info(args.map(String).join(" ")),
        warn: (...args: unknown[]) => logger.warn(args.map(String).join(" ")),
        error: (...args: unknown[]) => logger.error(args.map(String).join(" ")),
        debug: (...args: unknown[]) => logger.debug(args.map(String).join(" ")),
      },
    });
  }
  return holder.__switchyardInngest;
}

/** Sends through Inngest; the idempotency key becomes the event id, which Inngest deduplicates. */
export async function sendInngestEvent(
  name: string,
  data: unknown,
  idempotencyKey?: string,
): Promise<{ ids: string[] }> {
  const result = await inngestClient().send({
    name,
    data: (data ?? {}) as Record<string, unknown>,
    ...(idempotencyKey ? { id: idempotencyKey } : {}),
  });
  return { ids: result.ids };
}
