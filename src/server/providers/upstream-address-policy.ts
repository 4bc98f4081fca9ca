import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import { isPrivateAddress } from "~/lib/net/public-address";

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
    host = new URL(baseUrl).hostname
      .replace(/^\[|\]$/g, "")
      .toLowerCase()
      .replace(/\.$/, "");
  } catch {
    return true;
  }
  if (isIP(host)) return isPrivateAddress(host);
  return isPrivateName(host);
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
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new UpstreamAddressError("The base URL is not a valid URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UpstreamAddressError("The base URL must start with http:// or https://.");
  }
  if (options.allowPrivate) return;
  const host = url.hostname
    .replace(/^\[|\]$/g, "")
    .toLowerCase()
    .replace(/\.$/, "");
  const refuse = (what: string) =>
    new UpstreamAddressError(
      `${what} is a private, loopback, link-local or metadata address; this instance does not call those (set SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS=1 to allow it).`,
    );
  if (isIP(host)) {
    if (isPrivateAddress(host)) throw refuse(host);
    return;
  }
  if (isPrivateName(host)) throw refuse(host);
  let addresses: string[];
  try {
    addresses = await (options.resolve ?? systemResolver)(host);
  } catch {
    addresses = [];
  }
  if (addresses.length === 0) {
    if (options.unresolvable === "allow") return;
    throw new UpstreamAddressError(`Cannot resolve ${host}.`);
  }
  const bad = addresses.find(isPrivateAddress);
  if (bad) throw refuse(`${host} (${bad})`);
}
