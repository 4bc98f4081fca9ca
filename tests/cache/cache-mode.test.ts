import { describe, expect, it } from "vitest";
import { GatewayError } from "~/gateway/gateway-error";
import { cacheModeFor } from "~/gateway/cache/cache-mode";
import { cacheLogStatus, cacheResponseHeaders, savedMicros } from "~/gateway/cache/cache-outcome";
import type { CacheEntry } from "~/gateway/cache/cache-entry";

const entry = (costMicros: bigint | null): CacheEntry => ({
  orgId: "org_a",
  key: "k",
  body: "{}",
  meta: {
    endpoint: "chat.completions",
    usage: null,
    providerId: null,
    providerType: null,
    servedModel: null,
    finishReason: "stop",
    costMicros,
    createdAt: 0,
    expiresAt: 1,
  },
});

describe("cacheModeFor", () => {
  it("follows the header, case-insensitively, over any default", () => {
    expect(cacheModeFor("on", { temperature: 1 }, "off")).toBe("on");
    expect(cacheModeFor("OFF", { temperature: 0 }, "on")).toBe("off");
    expect(cacheModeFor(" Refresh ", {}, "auto")).toBe("refresh");
  });

  it("defaults to on only for an explicit temperature 0, unless the org opted in or out", () => {
    expect(cacheModeFor(null, { temperature: 0 }, "auto")).toBe("on");
    expect(cacheModeFor(undefined, {}, "auto")).toBe("off");
    expect(cacheModeFor(null, { temperature: 0.0001 }, "auto")).toBe("off");
    expect(cacheModeFor(null, { temperature: "0" }, "auto")).toBe("off");
    expect(cacheModeFor(null, { temperature: 1 }, "on")).toBe("on");
    expect(cacheModeFor(null, { temperature: 0 }, "off")).toBe("off");
    expect(cacheModeFor("", { temperature: 0 }, "auto")).toBe("on");
  });

  it("refuses any other header value with a 400 invalid_cache_header in OpenAI's error shape", () => {
    for (const bad of ["yes", "true", "HIT", "on;refresh", "x".repeat(500)]) {
      let thrown: unknown;
      try {
        cacheModeFor(bad, {}, "auto");
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(GatewayError);
      const error = thrown as GatewayError;
      expect(error.status).toBe(400);
      expect(error.code).toBe("invalid_cache_header");
      expect(error.toBody().error).toMatchObject({
        type: "invalid_request_error",
        param: "x-switchyard-cache",
        code: "invalid_cache_header",
      });
      expect(error.message.length).toBeLessThan(200);
    }
  });
});

describe("cache outcome", () => {
  it("says HIT, MISS or BYPASS, and adds the similarity for a semantic hit", () => {
    const hit = {
      status: "HIT",
      key: "k",
      entry: entry(1500n),
      similarity: null,
      source: "memory",
    } as const;
    const semantic = { ...hit, similarity: 0.97342, source: "semantic" } as const;
    const miss = { status: "MISS", key: "k", store: () => true, release: () => {} } as const;
    const bypass = { status: "BYPASS", reason: "off" } as const;
    expect(cacheResponseHeaders(hit)).toEqual({ "x-switchyard-cache": "HIT" });
    expect(cacheResponseHeaders(semantic)).toEqual({
      "x-switchyard-cache": "HIT",
      "x-switchyard-cache-similarity": "0.9734",
    });
    expect(cacheResponseHeaders(miss)).toEqual({ "x-switchyard-cache": "MISS" });
    expect(cacheResponseHeaders(bypass)).toEqual({ "x-switchyard-cache": "BYPASS" });
    expect([hit, semantic, miss, bypass].map(cacheLogStatus)).toEqual([
      "hit",
      "semantic_hit",
      "miss",
      "bypass",
    ]);
    expect(savedMicros(hit)).toBe(1500n);
    expect(savedMicros({ ...hit, entry: entry(null) })).toBeNull();
    expect(savedMicros(miss)).toBeNull();
  });
});
