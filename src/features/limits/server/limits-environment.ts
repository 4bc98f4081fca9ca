import { env } from "~/env";
import type { WebhookFetch } from "~/server/limits-config/alert-webhook";
import type { WebhookHostResolver } from "~/server/limits-config/webhook-url-policy";
import { providerSettings } from "~/server/providers/provider-settings";

/**
 * What webhook checks and sends need from the instance: whether private addresses are allowed
 * (the same switch as for org providers), the instance secret signing secrets derive from, and the
 * network. Defaults are the process's; tests pass their own.
 */
export interface LimitsEnvironment {
  allowPrivate?: boolean;
  instanceSecret?: string;
  resolve?: WebhookHostResolver;
  fetch?: WebhookFetch;
}

export function resolveLimitsEnvironment(e: LimitsEnvironment | undefined) {
  return {
    allowPrivate: e?.allowPrivate ?? providerSettings().allowPrivateUpstreams,
    instanceSecret: e?.instanceSecret ?? env().SWITCHYARD_ENCRYPTION_KEY,
    resolve: e?.resolve,
    fetch: e?.fetch,
  };
}
