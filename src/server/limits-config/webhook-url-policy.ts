import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import { isPrivateAddress } from "~/lib/net/public-address";
import { hasPrivateLiteralHost } from "~/server/providers/upstream-address-policy";

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

export type WebhookHostResolver = (hostname: string) => Promise<string[]>;

const systemResolver: WebhookHostResolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

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
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "The webhook URL is not a valid URL.";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return "The webhook URL must start with https:// (or http://).";
  }
  if (options.allowPrivate) return null;
  const host = url.hostname
    .replace(/^\[|\]$/g, "")
    .toLowerCase()
    .replace(/\.$/, "");
  const refused = (what: string) =>
    `${what} is a private, loopback, link-local or metadata address; this instance does not send webhooks there (SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS=1 allows it).`;
  if (hasPrivateLiteralHost(value)) return refused(host);
  if (isIP(host)) return null;
  let addresses: string[];
  try {
    addresses = await (options.resolve ?? systemResolver)(host);
  } catch {
    addresses = [];
  }
  if (addresses.length === 0) return `Cannot resolve ${host}.`;
  const bad = addresses.find(isPrivateAddress);
  return bad ? refused(`${host} (${bad})`) : null;
}
