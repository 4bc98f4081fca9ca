import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import { isAllowlisted, isPrivateAddress } from "~/lib/net/public-address";

// The address classification lives with the networking helpers (the upstream pools use it too).
export { guardedLookup, isPrivateAddress } from "~/lib/net/public-address";

/**
 * Which upstream addresses an org's provider may point at. An org admin types a base URL and
 * the server calls it; without this check that is a request forgery primitive against the
 * instance's own network (databases on localhost, cloud metadata at 169.254.169.254, the LAN).
 *
 * Checked when a provider is saved and again right before every test / discovery call. A name
 * that resolves to a public address when checked and to a private one later (DNS rebinding) is
 * only stopped by checking at connect time: org providers carry `publicAddressesOnly` when
 * private upstreams are not allowed, and their calls go through pools whose `lookup` is
 * `guardedLookup` (see src/providers/http/upstream-pools.ts).
 */

/** Host names that mean "this machine" or "the cloud metadata service" without DNS. */
const BLOCKED_NAMES =
  /^(localhost|localhost\.localdomain|ip6-localhost|ip6-loopback|metadata|metadata\.google\.internal|instance-data|instance-data\.ec2\.internal)$/;

/**
 * Whether a base URL's host is private without asking DNS: a literal private address or a name
 * that always means this machine or the metadata service. Cheap enough for the hot path.
 */
export function hasPrivateLiteralHost(baseUrl: string): boolean {
  let host: string;
  try {
    host = normalizedHost(new URL(baseUrl));
  } catch {
    return true;
  }
  if (isAllowlisted(host)) return false;
  if (isIP(host)) return isPrivateAddress(host);
  return isPrivateName(host);
}

function normalizedHost(url: URL): string {
  return url.hostname
    .replace(/^\[|\]$/g, "")
    .toLowerCase()
    .replace(/\.$/, "");
}

function isPrivateName(host: string): boolean {
  return (
    BLOCKED_NAMES.test(host) ||
    host.endsWith(".localhost") ||
    host.endsWith(".internal") ||
    host.endsWith(".local")
  );
}

export class UpstreamAddressError extends Error {
  override name = "UpstreamAddressError";
}

export type HostResolver = (hostname: string) => Promise<string[]>;

const systemResolver: HostResolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

export interface UpstreamCheckOptions {
  allowPrivate: boolean;
  /** Defaults to the system resolver (what the HTTP client will use). */
  resolve?: HostResolver;
  /**
   * When the name does not resolve: "allow" (saving a provider while its DNS is not there yet;
   * the call-time check catches it) or "refuse" (about to call it).
   */
  unresolvable?: "allow" | "refuse";
  /** What the URL is, for messages: "The base URL" (default), "The webhook URL". */
  subject?: string;
}

/**
 * The one check of every org-supplied URL the server will call (provider base URLs when saved,
 * tested and discovered; webhook URLs when saved and sent): http(s) only, and unless private
 * destinations are allowed, no host that is or resolves to a private, loopback, link-local, CGNAT
 * or metadata address, except what the instance admin allowlisted. Returns the reason, fit for the
 * person who typed the URL, or null. (The connect-time guard repeats the address check on every
 * new connection, which is what defeats DNS rebinding.)
 */
export async function urlAddressProblem(
  value: string,
  options: UpstreamCheckOptions,
): Promise<string | null> {
  const subject = options.subject ?? "The base URL";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${subject} is not a valid URL.`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return `${subject} must start with http:// or https://.`;
  }
  if (options.allowPrivate) return null;
  // WHATWG URL parsing already turned decimal, octal and hex IPv4 spellings into dotted form.
  const host = normalizedHost(url);
  const refused = (what: string) =>
    `${what} is a private, loopback, link-local or metadata address; this instance does not call those (the instance admin can allow it with SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS=1 or SWITCHYARD_PRIVATE_UPSTREAM_ALLOWLIST).`;
  if (isAllowlisted(host)) return null;
  if (isIP(host)) return isPrivateAddress(host) ? refused(host) : null;
  if (isPrivateName(host)) return refused(host);
  let addresses: string[];
  try {
    addresses = await (options.resolve ?? systemResolver)(host);
  } catch {
    addresses = [];
  }
  if (addresses.length === 0) {
    return options.unresolvable === "allow" ? null : `Cannot resolve ${host}.`;
  }
  const bad = addresses.find((a) => isPrivateAddress(a) && !isAllowlisted(host, a));
  return bad ? refused(`${host} (${bad})`) : null;
}

/**
 * Refuses (throws `UpstreamAddressError` with a message fit for the person who typed the URL) a
 * base URL whose host is, or resolves to, an address outside the public internet, unless private
 * upstreams are allowed on this instance.
 */
export async function checkUpstreamUrl(
  baseUrl: string,
  options: UpstreamCheckOptions,
): Promise<void> {
  const problem = await urlAddressProblem(baseUrl, options);
  if (problem !== null) throw new UpstreamAddressError(problem);
}
