import {
  urlAddressProblem,
  type HostResolver,
} from "~/server/providers/upstream-address-policy";

/**
 * Which budget-alert webhook URLs this instance POSTs to. An org admin types the URL and the
 * server calls it, so without this check it would be a request-forgery primitive against the
 * instance's own network (localhost, the LAN, cloud metadata at 169.254.169.254). Checked when the
 * URL is saved and again before every send; the send also connects through a lookup that refuses
 * private answers (a name can resolve elsewhere between check and connect) and never follows
 * redirects. Instances that allow private upstreams (SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS, on by
 * default outside production) allow private webhook addresses too.
 */

export const WEBHOOK_URL_MAX_LENGTH = 2_000;

export type WebhookHostResolver = HostResolver;

export interface WebhookUrlCheckOptions {
  allowPrivate: boolean;
  resolve?: WebhookHostResolver;
}

/** The reason a URL is refused, fit for the person who typed it; null when it may be called. */
export async function webhookUrlProblem(
  value: string,
  options: WebhookUrlCheckOptions,
): Promise<string | null> {
  if (value.length > WEBHOOK_URL_MAX_LENGTH) {
    return `The webhook URL is longer than ${WEBHOOK_URL_MAX_LENGTH} characters.`;
  }
  // The same check as provider base URLs (one module for every org-supplied URL).
  return urlAddressProblem(value, {
    allowPrivate: options.allowPrivate,
    resolve: options.resolve,
    unresolvable: "refuse",
    subject: "The webhook URL",
  });
}
