import { afterEach, describe, expect, it } from "vitest";
import {
  createGuardedLookup,
  isPrivateIPLiteral,
  parsePrivateAllowlist,
  PRIVATE_UPSTREAM_CODE,
  setPrivateAllowlist,
  type AddressResolver,
} from "~/lib/net/public-address";
import { parseEnv } from "~/env";
import { webhookUrlProblem } from "~/server/limits-config/webhook-url-policy";
import { hasPrivateLiteralHost, urlAddressProblem } from "~/server/providers/upstream-address-policy";

/**
 * SSRF: every org-supplied URL goes through one check (`urlAddressProblem`) when saved and before
 * calls, and through the guarded lookup on every connection. DNS answers come from a table (an
 * injected resolver), so names that resolve to private addresses are tested offline.
 */

const DNS: Record<string, string[]> = {
  "localtest.me": ["127.0.0.1"], // a public name that answers with loopback
  "rebind.example": ["10.0.0.7"],
  "metadata.example": ["169.254.169.254"],
  "mixed.example": ["93.184.215.14", "192.168.1.9"],
  "v6loop.example": ["::1"],
  "mapped.example": ["::ffff:127.0.0.1"],
  "cgnat.example": ["100.64.12.1"],
  "ollama.lan": ["192.168.10.20"],
  "api.example.com": ["93.184.215.14"],
  "v6.example.com": ["2606:4700:4700::1111"],
};
const resolve = async (host: string) => {
  const answer = DNS[host];
  if (!answer) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: "ENOTFOUND" });
  return answer;
};
const problem = (url: string) => urlAddressProblem(url, { allowPrivate: false, resolve, unresolvable: "refuse" });

afterEach(() => setPrivateAllowlist(parsePrivateAllowlist([])));

const REFUSED: [string, string][] = [
  ["http://127.0.0.1:11434/v1", "loopback"],
  ["http://127.1/v1", "short loopback"],
  ["http://0x7f.0.0.1/v1", "hex octet"],
  ["http://0x7f000001/v1", "hex integer"],
  ["http://2130706433/v1", "decimal integer"],
  ["http://017700000001/v1", "octal integer"],
  ["http://0177.0.0.01/v1", "octal octets"],
  ["http://0.0.0.0:8080/v1", "this host"],
  ["http://0/v1", "zero"],
  ["http://[::1]/v1", "IPv6 loopback"],
  ["http://[::]/v1", "IPv6 unspecified"],
  ["http://[::ffff:127.0.0.1]/v1", "IPv4-mapped loopback"],
  ["http://[::ffff:7f00:1]/v1", "IPv4-mapped loopback, hex"],
  ["http://[::ffff:a9fe:a9fe]/latest/meta-data", "IPv4-mapped metadata"],
  ["http://[64:ff9b::a9fe:a9fe]/", "NAT64 metadata"],
  ["http://169.254.169.254/latest/meta-data/", "AWS/GCP/Azure metadata"],
  ["http://[fd00:ec2::254]/latest/meta-data/", "AWS IPv6 metadata"],
  ["http://metadata.google.internal/computeMetadata/v1/", "GCP metadata name"],
  ["http://metadata/computeMetadata/v1/", "bare metadata name"],
  ["http://instance-data.ec2.internal/", "EC2 metadata name"],
  ["http://100.100.100.200/", "Alibaba metadata (CGNAT range)"],
  ["http://100.64.0.1/v1", "CGNAT"],
  ["http://10.0.0.8/v1", "RFC 1918 /8"],
  ["http://172.16.5.4/v1", "RFC 1918 /12"],
  ["http://192.168.0.1/v1", "RFC 1918 /16"],
  ["http://[fe80::1]/v1", "IPv6 link-local"],
  ["http://[fc00::1]/v1", "IPv6 unique local"],
  ["http://localhost:3000/v1", "localhost"],
  ["http://LOCALHOST./v1", "localhost, upper case with a trailing dot"],
  ["http://api.localhost/v1", "*.localhost"],
  ["http://printer.local/v1", "mDNS"],
  ["http://user:pass@127.0.0.1/v1", "credentials before a loopback host"],
  ["http://api.example.com@127.0.0.1/v1", "a public name as userinfo"],
  ["http://localtest.me/v1", "a name resolving to 127.0.0.1"],
  ["http://rebind.example/v1", "a name resolving to 10/8"],
  ["http://metadata.example/", "a name resolving to the metadata address"],
  ["http://mixed.example/v1", "a name with one private answer among public ones"],
  ["http://v6loop.example/v1", "a name resolving to ::1"],
  ["http://mapped.example/v1", "a name resolving to an IPv4-mapped loopback"],
  ["http://cgnat.example/v1", "a name resolving to CGNAT"],
];

describe("org-supplied URLs", () => {
  it.each(REFUSED)("refuses %s (%s)", async (url) => {
    const reason = await problem(url);
    expect(reason).toMatch(/private, loopback, link-local or metadata/);
    // The message says how the instance admin can allow it.
    expect(reason).toContain("SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS");
  });

  it.each([
    "https://api.example.com/v1",
    "https://v6.example.com/v1",
    "https://8.8.8.8/v1",
    "https://[2606:4700:4700::1111]/v1",
    "http://172.32.0.1/v1",
  ])("accepts %s", async (url) => {
    expect(await problem(url)).toBeNull();
  });

  it.each(["file:///etc/passwd", "gopher://127.0.0.1:6379/_", "ftp://example.com/", "javascript:alert(1)", "not a url"])(
    "refuses %s whatever the instance allows",
    async (url) => {
      expect(await urlAddressProblem(url, { allowPrivate: true, resolve })).not.toBeNull();
    },
  );

  it("webhooks go through the same check", async () => {
    expect(await webhookUrlProblem("http://localtest.me/hook", { allowPrivate: false, resolve })).toMatch(
      /private/,
    );
    expect(await webhookUrlProblem("http://2130706433/hook", { allowPrivate: false, resolve })).toMatch(/private/);
    expect(await webhookUrlProblem("https://api.example.com/hook", { allowPrivate: false, resolve })).toBeNull();
    expect(
      await webhookUrlProblem("http://127.0.0.1:9/hook", { allowPrivate: true, resolve }),
    ).toBeNull();
  });
});

describe("the admin's allowlist (SWITCHYARD_PRIVATE_UPSTREAM_ALLOWLIST)", () => {
  it("is validated in the env: host names, addresses and networks; anything else is a start-up error", () => {
    const env = parseEnv({
      SWITCHYARD_PRIVATE_UPSTREAM_ALLOWLIST: "ollama.lan, 10.1.2.3,192.168.10.0/24, fd12::/48",
      AUTH_SECRET: "x".repeat(32),
      SWITCHYARD_ENCRYPTION_KEY: "a".repeat(43),
    });
    expect(env.SWITCHYARD_PRIVATE_UPSTREAM_ALLOWLIST).toEqual([
      "ollama.lan",
      "10.1.2.3",
      "192.168.10.0/24",
      "fd12::/48",
    ]);
    for (const bad of ["10.0.0.0/33", "http://x", "a b", "10.0.0.0/abc"]) {
      expect(() =>
        parseEnv({
          SWITCHYARD_PRIVATE_UPSTREAM_ALLOWLIST: bad,
          AUTH_SECRET: "x".repeat(32),
          SWITCHYARD_ENCRYPTION_KEY: "a".repeat(43),
        }),
      ).toThrow(/SWITCHYARD_PRIVATE_UPSTREAM_ALLOWLIST/);
    }
  });

  it("lets listed hosts and networks through, nothing else", async () => {
    setPrivateAllowlist(parsePrivateAllowlist(["ollama.lan", "10.0.0.0/24"]));
    expect(await problem("http://ollama.lan:11434/v1")).toBeNull();
    expect(await problem("http://10.0.0.8/v1")).toBeNull();
    expect(await problem("http://rebind.example/v1")).toBeNull(); // resolves into 10.0.0.0/24
    expect(await problem("http://[::ffff:10.0.0.8]/v1")).toBeNull();
    expect(hasPrivateLiteralHost("http://10.0.0.8/v1")).toBe(false);
    expect(isPrivateIPLiteral("10.0.0.8")).toBe(false);
    // Still refused: other private destinations.
    expect(await problem("http://10.0.1.8/v1")).toMatch(/private/);
    expect(await problem("http://169.254.169.254/")).toMatch(/private/);
    expect(await problem("http://localtest.me/v1")).toMatch(/private/);
    expect(isPrivateIPLiteral("127.0.0.1")).toBe(true);
  });

  it("applies at connect time: the guarded lookup accepts listed answers and refuses the rest", async () => {
    const resolver: AddressResolver = async (host) =>
      (DNS[host] ?? []).map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
    const lookup = createGuardedLookup(resolver);
    const run = (host: string) =>
      new Promise<NodeJS.ErrnoException | null>((done) => lookup(host, { all: true }, (err) => done(err)));
    expect((await run("ollama.lan"))?.code).toBe(PRIVATE_UPSTREAM_CODE);
    setPrivateAllowlist(parsePrivateAllowlist(["ollama.lan"]));
    expect(await run("ollama.lan")).toBeNull();
    expect((await run("localtest.me"))?.code).toBe(PRIVATE_UPSTREAM_CODE);
  });
});
