import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import {
  createGuardedLookup,
  guardedLookup,
  isPrivateIPLiteral,
  PRIVATE_UPSTREAM_CODE,
  type AddressResolver,
  type ResolvedAddress,
} from "~/lib/net/public-address";
import { transportError } from "~/providers/http/upstream-errors";
import { DEFAULT_TIMEOUTS, ProviderError } from "~/providers/types";
import * as policy from "~/server/providers/upstream-address-policy";

// The connect-time address guard: classification of literals and the `lookup` given to sockets.

interface LookupOutcome {
  err: NodeJS.ErrnoException | null;
  address: string | LookupAddress[];
  family?: number;
}

function run(
  lookup: ReturnType<typeof createGuardedLookup>,
  hostname: string,
  options: { all?: boolean; family?: number } = {},
): Promise<LookupOutcome> {
  return new Promise((resolve) =>
    lookup(hostname, options, (err, address, family) => resolve({ err, address, family })),
  );
}

/** A resolver answering from a table, remembering what it was asked (no network). */
function fakeResolver(table: Record<string, ResolvedAddress[]>) {
  const asked: { hostname: string; family: number }[] = [];
  const resolve: AddressResolver = async (hostname, family) => {
    asked.push({ hostname, family });
    const answer = table[hostname];
    if (!answer) {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    }
    return answer.filter((a) => family === 0 || a.family === family);
  };
  return { resolve, asked };
}

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });
const v6 = (address: string): ResolvedAddress => ({ address, family: 6 });

describe("guarded lookup", () => {
  it("refuses localhost through the system resolver (it resolves to loopback)", async () => {
    const { err } = await run(guardedLookup, "localhost", { all: true });
    expect(err?.code).toBe(PRIVATE_UPSTREAM_CODE);
    expect(err?.message).toContain("localhost");
  });

  it("refuses a name with a loopback answer, v4 or v6", async () => {
    const { resolve } = fakeResolver({
      "loop4.example": [v4("127.0.0.1")],
      "loop6.example": [v6("::1")],
      "mapped.example": [v6("::ffff:169.254.169.254")],
    });
    const lookup = createGuardedLookup(resolve);
    for (const name of ["loop4.example", "loop6.example", "mapped.example"]) {
      const { err, address } = await run(lookup, name, { all: true });
      expect(err?.code, name).toBe(PRIVATE_UPSTREAM_CODE);
      expect(address, name).toBe("");
    }
  });

  it("refuses a name when any one of its answers is private (the socket may pick that one)", async () => {
    const { resolve } = fakeResolver({ "mixed.example": [v4("93.184.215.14"), v4("10.0.0.7")] });
    const { err } = await run(createGuardedLookup(resolve), "mixed.example", { all: true });
    expect(err?.code).toBe(PRIVATE_UPSTREAM_CODE);
    // The refusal names the host, never the internal address it resolved to.
    expect(err?.message).toContain("mixed.example");
    expect(err?.message).not.toContain("10.0.0.7");
  });

  it("accepts a public answer: every address with `all`, else the first with its family", async () => {
    const { resolve, asked } = fakeResolver({
      "llm.example": [v6("2606:4700::6810:84e5"), v4("93.184.215.14")],
    });
    const lookup = createGuardedLookup(resolve);
    const all = await run(lookup, "llm.example", { all: true });
    expect(all.err).toBeNull();
    expect(all.address).toEqual([
      { address: "2606:4700::6810:84e5", family: 6 },
      { address: "93.184.215.14", family: 4 },
    ]);
    const one = await run(lookup, "llm.example", { family: 4 });
    expect(one).toEqual({ err: null, address: "93.184.215.14", family: 4 });
    expect(asked).toEqual([
      { hostname: "llm.example", family: 0 },
      { hostname: "llm.example", family: 4 },
    ]);
  });

  it("passes resolver failures on and treats an empty answer as not found", async () => {
    const { resolve } = fakeResolver({ "empty.example": [] });
    const lookup = createGuardedLookup(resolve);
    expect((await run(lookup, "missing.example")).err?.code).toBe("ENOTFOUND");
    expect((await run(lookup, "empty.example", { all: true })).err?.code).toBe("ENOTFOUND");
  });

  it("is still exported by the upstream-address policy", () => {
    expect(policy.guardedLookup).toBe(guardedLookup);
    expect(policy.isPrivateAddress("169.254.169.254")).toBe(true);
  });
});

describe("private IP literals", () => {
  it("flags private literal hosts, bracketed or not, and never names", () => {
    for (const host of [
      "127.0.0.1",
      "[::1]",
      "::1",
      "10.1.2.3",
      "[::ffff:7f00:1]",
      "169.254.169.254",
    ]) {
      expect(isPrivateIPLiteral(host), host).toBe(true);
    }
    for (const host of ["8.8.8.8", "[2606:4700::6810:84e5]", "localhost", "api.openai.com"]) {
      expect(isPrivateIPLiteral(host), host).toBe(false);
    }
  });
});

describe("a refused connection as a provider error", () => {
  it("is a non-retryable 502 connect failure naming the host", () => {
    const err = transportError(
      Object.assign(new Error("refused"), { code: PRIVATE_UPSTREAM_CODE, hostname: "llm.example" }),
      { responded: false, timeouts: DEFAULT_TIMEOUTS },
    );
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: "connect", status: 502, isRetryable: false });
    expect(err.message).toContain("llm.example");
  });
});
