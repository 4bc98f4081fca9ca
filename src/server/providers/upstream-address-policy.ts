import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/**
 * Which upstream addresses an org's provider may point at. An org admin types a base URL and
 * the server calls it; without this check that is a request forgery primitive against the
 * instance's own network (databases on localhost, cloud metadata at 169.254.169.254, the LAN).
 *
 * Checked when a provider is saved and again right before every test / discovery call. A name
 * that resolves to a public address when checked and to a private one later (DNS rebinding) is
 * only stopped by checking at connect time: `guardedLookup` is the `lookup` to give the HTTP
 * agent that makes upstream calls for org providers.
 */

const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments (incl. some metadata endpoints)
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["::", 96], // IPv4-compatible (deprecated)
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local (incl. fd00:ec2::254, AWS metadata over IPv6)
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

/** Host names that mean "this machine" or "the cloud metadata service" without DNS. */
const BLOCKED_NAMES =
  /^(localhost|localhost\.localdomain|ip6-localhost|ip6-loopback|metadata|metadata\.google\.internal|instance-data|instance-data\.ec2\.internal)$/;

/** The 16 bytes of an IPv6 address in text form (already validated by `isIP`). */
function ipv6Bytes(address: string): number[] {
  let text = address;
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    tail.push(...v4[1]!.split(".").map(Number));
    text = text.slice(0, -v4[1]!.length) + "0:0";
  }
  const [head, rest] = text.split("::") as [string, string | undefined];
  const parse = (s: string) =>
    s
      ? s
          .split(":")
          .filter(Boolean)
          .map((g) => parseInt(g, 16))
      : [];
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const groups = [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  const bytes = groups.flatMap((g) => [g >> 8, g & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** IPv4 embedded in IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) addresses. */
function embeddedIPv4(address: string): string | null {
  const b = ipv6Bytes(address);
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const mapped = zeros(0, 10) && b[10] === 0xff && b[11] === 0xff;
  const nat64 = b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12);
  if (mapped || nat64) return b.slice(12, 16).join(".");
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6).join(".");
  return null;
}

/** Whether an IP address (v4 or v6 text) is private, loopback, link-local, metadata or otherwise not a public upstream. */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, "ipv4");
  if (family === 6) {
    const v4 = embeddedIPv4(ip);
    if (v4 !== null) return blocked.check(v4, "ipv4");
    return blocked.check(ip, "ipv6");
  }
  return true; // not an address at all: refuse rather than guess
}

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

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | { address: string; family: number }[],
  family?: number,
) => void;

/**
 * A drop-in `lookup` for `http.Agent` / undici `connect` options that refuses private addresses
 * at connect time (closes the DNS-rebinding gap). Use it for org providers when private upstreams
 * are not allowed.
 */
export function guardedLookup(
  hostname: string,
  options: { all?: boolean; family?: number } | number,
  callback: LookupCallback,
): void {
  const opts = typeof options === "number" ? { family: options } : options;
  dnsLookup(hostname, { all: true, verbatim: true, family: opts.family ?? 0 }).then(
    (list) => {
      const bad = list.find((a) => isPrivateAddress(a.address));
      if (bad || list.length === 0) {
        const err = Object.assign(
          new Error(
            `Refusing to connect to ${hostname} (${bad?.address ?? "no address"}): not a public address.`,
          ),
          { code: "EPRIVATEUPSTREAM" },
        ) as NodeJS.ErrnoException;
        callback(err, "", 4);
        return;
      }
      if (opts.all) callback(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    },
    (err: NodeJS.ErrnoException) => callback(err, "", 4),
  );
}
