import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP, type LookupFunction } from "node:net";

/**
 * Which IP addresses count as the public internet, and a connect-time `lookup` that refuses the
 * rest. Pure classification, shared by the upstream-address policy (checks when a provider is
 * saved or probed) and the upstream connection pools (checks on every new connection, which is
 * what stops a name that resolves to a public address when checked and to a private one later).
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

// ---------------------------------------------------------------------------------------------
// The instance admin's exceptions (SWITCHYARD_PRIVATE_UPSTREAM_ALLOWLIST): private hosts and
// networks org-supplied URLs may reach although private upstreams are otherwise refused, e.g. an
// Ollama box on the LAN. Set once at start-up from the validated env; every check below honours it.

export interface PrivateAllowlist {
  /** Lower-cased host names without a trailing dot, matched exactly. */
  hosts: ReadonlySet<string>;
  /** Addresses and networks (single addresses are /32 or /128). */
  nets: BlockList;
  /** The entries as configured, for messages and docs. */
  entries: readonly string[];
}

/** Parses allowlist entries (`host`, `10.0.0.5`, `10.1.0.0/16`, `fd12::/48`); throws on a bad one. */
export function parsePrivateAllowlist(entries: readonly string[]): PrivateAllowlist {
  const hosts = new Set<string>();
  const nets = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase().replace(/^\[|\]$/g, "");
    if (!entry) continue;
    const [address, prefixText] = entry.split("/") as [string, string | undefined];
    const family = isIP(address);
    if (family !== 0) {
      const max = family === 4 ? 32 : 128;
      const prefix = prefixText === undefined ? max : Number(prefixText);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (prefixText !== undefined && !/^\d+$/.test(prefixText))) {
        throw new TypeError(`"${raw}" is not a valid network (address/prefix)`);
      }
      nets.addSubnet(address, prefix, family === 4 ? "ipv4" : "ipv6");
    } else if (prefixText === undefined && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/.test(entry)) {
      hosts.add(entry.replace(/\.$/, ""));
    } else {
      throw new TypeError(`"${raw}" is neither a host name, an IP address nor a network`);
    }
  }
  return { hosts, nets, entries: entries.map((e) => e.trim()).filter(Boolean) };
}

const EMPTY_ALLOWLIST: PrivateAllowlist = parsePrivateAllowlist([]);

// On globalThis so the custom server and Next's bundled copy of this module share it.
const allowState = globalThis as unknown as { __switchyardPrivateAllowlist?: PrivateAllowlist };

/** Sets the instance's exceptions (start-up; tests). */
export function setPrivateAllowlist(list: PrivateAllowlist): void {
  allowState.__switchyardPrivateAllowlist = list;
}

export function privateAllowlist(): PrivateAllowlist {
  return allowState.__switchyardPrivateAllowlist ?? EMPTY_ALLOWLIST;
}

/**
 * Whether the admin allowed this private destination: the host name is listed, or the address
 * (a literal host or what a name resolved to) lies in a listed network.
 */
export function isAllowlisted(hostname: string, address?: string): boolean {
  const list = privateAllowlist();
  if (list.entries.length === 0) return false;
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase().replace(/\.$/, "");
  if (list.hosts.has(host)) return true;
  const ip = (address ?? host).replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(ip);
  if (family === 0) return false;
  if (list.nets.check(ip, family === 4 ? "ipv4" : "ipv6")) return true;
  // An IPv4-mapped form of a listed IPv4 address counts as that address.
  if (family === 6) {
    const v4 = embeddedIPv4(ip);
    return v4 !== null && list.nets.check(v4, "ipv4");
  }
  return false;
}

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
 * Whether a URL host (`new URL(…).hostname`, IPv6 in brackets or not) is an IP literal outside
 * the public internet and not allowlisted. False for names: those are checked when they are
 * resolved. Needed because sockets connect to literals without calling `lookup`.
 */
export function isPrivateIPLiteral(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  return isIP(host.replace(/%.*$/, "")) !== 0 && isPrivateAddress(host) && !isAllowlisted(host);
}

/** The `code` of the error a guarded connection fails with. */
export const PRIVATE_UPSTREAM_CODE = "EPRIVATEUPSTREAM";

/** A refused connection: names the host only (never a resolved internal address, never a URL). */
export function privateUpstreamError(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`refused to connect to ${hostname}: not a public address`), {
    code: PRIVATE_UPSTREAM_CODE,
    hostname,
  });
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address of a name (`family` 0: any). The system resolver unless a test injects one. */
export type AddressResolver = (hostname: string, family: number) => Promise<ResolvedAddress[]>;

const systemResolver: AddressResolver = (hostname, family) =>
  dnsLookup(hostname, { all: true, verbatim: true, family });

/**
 * A `lookup` for `net.connect` / `tls.connect` (undici's `connect` options) that resolves with
 * `resolve` and refuses (error code EPRIVATEUPSTREAM) a name with any non-public address, so the
 * address checked is the address connected to.
 */
export function createGuardedLookup(resolve: AddressResolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    const family =
      options.family === "IPv4" ? 4 : options.family === "IPv6" ? 6 : (options.family ?? 0);
    resolve(hostname, family).then(
      (list) => {
        if (list.length === 0) {
          const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
            code: "ENOTFOUND",
            hostname,
          });
          callback(err, "", 4);
          return;
        }
        if (list.some((a) => isPrivateAddress(a.address) && !isAllowlisted(hostname, a.address))) {
          callback(privateUpstreamError(hostname), "", 4);
          return;
        }
        if (options.all) callback(null, list);
        else callback(null, list[0]!.address, list[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, "", 4),
    );
  };
}

/** `createGuardedLookup` over the system resolver (what the upstream pools use). */
export const guardedLookup: LookupFunction = createGuardedLookup();
