import { describe, expect, it } from "vitest";
import {
  checkUpstreamUrl,
  guardedLookup,
  isPrivateAddress,
  UpstreamAddressError,
} from "~/server/providers/upstream-address-policy";

const PRIVATE = [
  "127.0.0.1",
  "127.255.0.9",
  "10.1.2.3",
  "172.16.0.1",
  "172.31.255.254",
  "192.168.1.10",
  "169.254.169.254", // cloud metadata
  "169.254.0.1",
  "100.64.0.1",
  "0.0.0.0",
  "224.0.0.1",
  "255.255.255.255",
  "::1",
  "::",
  "fe80::1",
  "fd00:ec2::254", // AWS metadata over IPv6
  "fc00::5",
  "::ffff:127.0.0.1",
  "::ffff:7f00:1",
  "::ffff:a9fe:a9fe", // 169.254.169.254 mapped
  "64:ff9b::a9fe:a9fe", // NAT64 of the metadata address
  "2002:0a00:0001::1", // 6to4 of 10.0.0.1
  "[::1]",
  "not-an-ip",
];
const PUBLIC = [
  "8.8.8.8",
  "1.1.1.1",
  "172.32.0.1",
  "192.169.0.1",
  "100.128.0.1",
  "2606:4700:4700::1111",
  "2001:4860:4860::8888",
  "::ffff:8.8.8.8",
  "64:ff9b::808:808",
];

describe("private address detection", () => {
  it.each(PRIVATE)("%s is private", (ip) => expect(isPrivateAddress(ip)).toBe(true));
  it.each(PUBLIC)("%s is public", (ip) => expect(isPrivateAddress(ip)).toBe(false));
});

const publicResolver = async () => ["93.184.215.14"];

async function refusal(
  url: string,
  resolve = publicResolver,
  unresolvable: "allow" | "refuse" = "refuse",
) {
  return checkUpstreamUrl(url, { allowPrivate: false, resolve, unresolvable }).then(
    () => null,
    (e: unknown) => e,
  );
}

describe("upstream URL check", () => {
  it("refuses literal private hosts, however the URL spells them", async () => {
    for (const url of [
      "http://127.0.0.1:11434/v1",
      "http://localhost:11434/v1",
      "http://LOCALHOST./v1",
      "http://api.localhost/v1",
      "http://[::1]:8000/v1",
      "http://[::ffff:127.0.0.1]/v1",
      "http://0x7f000001/v1", // 127.0.0.1 in hex
      "http://2130706433/v1", // 127.0.0.1 as one number
      "http://017700000001/v1", // octal
      "http://169.254.169.254/latest/meta-data",
      "http://metadata.google.internal/computeMetadata/v1",
      "http://10.0.0.8/v1",
      "http://0/v1",
    ]) {
      const err = await refusal(url);
      expect(err, url).toBeInstanceOf(UpstreamAddressError);
      expect((err as Error).message, url).toMatch(/private|loopback|metadata/);
    }
  });

  it("refuses names that resolve to a private address (any of them)", async () => {
    const err = await refusal("https://sneaky.example.com/v1", async () => [
      "93.184.215.14",
      "10.0.0.7",
    ]);
    expect(err).toBeInstanceOf(UpstreamAddressError);
    expect((err as Error).message).toContain("10.0.0.7");
  });

  it("accepts public names and addresses", async () => {
    expect(await refusal("https://api.groq.com/openai/v1")).toBeNull();
    expect(await refusal("https://8.8.8.8/v1")).toBeNull();
    expect(await refusal("https://[2606:4700:4700::1111]/v1")).toBeNull();
  });

  it("unresolvable names: refused before a call, accepted when saving", async () => {
    const nx = async () => {
      throw Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" });
    };
    expect(await refusal("https://nowhere.invalid/v1", nx, "refuse")).toBeInstanceOf(
      UpstreamAddressError,
    );
    expect(await refusal("https://nowhere.invalid/v1", nx, "allow")).toBeNull();
  });

  it("allows everything http(s) when private upstreams are allowed, and never other schemes", async () => {
    await expect(
      checkUpstreamUrl("http://localhost:11434/v1", { allowPrivate: true }),
    ).resolves.toBeUndefined();
    await expect(
      checkUpstreamUrl("http://169.254.169.254/", { allowPrivate: true }),
    ).resolves.toBeUndefined();
    await expect(
      checkUpstreamUrl("file:///etc/passwd", { allowPrivate: true }),
    ).rejects.toBeInstanceOf(UpstreamAddressError);
    await expect(checkUpstreamUrl("gopher://x/", { allowPrivate: false })).rejects.toBeInstanceOf(
      UpstreamAddressError,
    );
  });

  it("the connect-time lookup refuses names resolving to loopback", async () => {
    const result = await new Promise<{ err: NodeJS.ErrnoException | null }>((resolve) =>
      guardedLookup("localhost", {}, (err) => resolve({ err })),
    );
    expect(result.err?.code).toBe("EPRIVATEUPSTREAM");
  });
});

describe("private literal hosts (no DNS)", () => {
  it("flags literal private addresses and local names only", async () => {
    const { hasPrivateLiteralHost } = await import("~/server/providers/upstream-address-policy");
    for (const url of [
      "http://localhost:1/v1",
      "http://127.0.0.1/v1",
      "http://[::1]/v1",
      "http://metadata.google.internal/",
      "http://box.local/v1",
      "not a url",
    ]) {
      expect(hasPrivateLiteralHost(url), url).toBe(true);
    }
    for (const url of [
      "https://api.openai.com/v1",
      "https://8.8.8.8/v1",
      "http://ollama.example.com/v1",
    ]) {
      expect(hasPrivateLiteralHost(url), url).toBe(false);
    }
  });
});
