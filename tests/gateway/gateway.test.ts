import { describe, expect, it } from "vitest";
import { GatewayError } from "~/gateway";
import { errorOf, memoryGateway } from "./fakes";

const MODEL = {
  id: "gpt-4o-mini",
  object: "model" as const,
  created: 1_700_000_000,
  owned_by: "openai",
};

describe("GET /v1/models", () => {
  it("lists the models of the key's org in OpenAI's list shape", async () => {
    const g = memoryGateway();
    const { secret } = g.addKey({ orgId: "org_a" });
    g.addKey({ orgId: "org_b" });
    g.models.set("org_a", [MODEL]);
    g.models.set("org_b", [{ ...MODEL, id: "claude-sonnet" }]);
    const res = await g.call("/v1/models", { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ object: "list", data: [MODEL] });
  });

  it("is an empty list when no models are configured", async () => {
    const g = memoryGateway();
    const { secret } = g.addKey();
    const res = await g.call("/v1/models/", { headers: { "x-api-key": secret } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ object: "list", data: [] });
  });

  it("requires a key", async () => {
    const g = memoryGateway();
    const res = await g.call("/v1/models");
    expect(res.status).toBe(401);
    expect(await errorOf(res)).toMatchObject({
      type: "authentication_error",
      code: "missing_api_key",
      param: null,
    });
  });
});

describe("GET /v1/models/:id", () => {
  it("returns one model the key may use, slashes in the id included", async () => {
    const g = memoryGateway();
    const { secret } = g.addKey();
    const slashed = { ...MODEL, id: "meta-llama/Llama-3.3-70B" };
    g.models.set("org_a", [MODEL, slashed]);
    const res = await g.call("/v1/models/meta-llama/Llama-3.3-70B", {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(slashed);
  });

  it("is 404 model_not_found otherwise", async () => {
    const g = memoryGateway();
    const { secret } = g.addKey();
    const res = await g.call("/v1/models/gpt-5", {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toEqual({
      message: "The model `gpt-5` does not exist or you do not have access to it.",
      type: "invalid_request_error",
      param: "model",
      code: "model_not_found",
    });
  });

  it("authenticates before revealing anything", async () => {
    const g = memoryGateway();
    const res = await g.call("/v1/models/gpt-5");
    expect(res.status).toBe(401);
  });
});

describe("unknown paths and methods", () => {
  it("answers unknown /v1 paths with OpenAI's Invalid URL error", async () => {
    const g = memoryGateway();
    const res = await g.call("/v1/foo?x=1", { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toEqual({
      message: "Invalid URL (POST /v1/foo)",
      type: "invalid_request_error",
      param: null,
      code: "unknown_url",
    });
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("answers a wrong method with 405 and Allow", async () => {
    const g = memoryGateway();
    const res = await g.call("/v1/models", { method: "POST", body: "{}" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    expect(await errorOf(res)).toMatchObject({
      code: "method_not_allowed",
      type: "invalid_request_error",
    });
    const del = await g.call("/v1/models/gpt-4o", { method: "DELETE" });
    expect(del.status).toBe(405);
  });

  it("serves HEAD like GET without a body", async () => {
    const g = memoryGateway();
    const res = await g.call("/healthz", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });
});

describe("health", () => {
  it("/healthz is ok without touching dependencies", async () => {
    const g = memoryGateway();
    g.setReadiness(() => Promise.reject(new Error("must not be called")));
    const res = await g.call("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("/readyz reports the database and vector support", async () => {
    const g = memoryGateway();
    g.setReadiness(async () => ({ database: "ok", vector: "unavailable" }));
    const res = await g.call("/readyz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: "ok", vector: "unavailable" });
  });

  it("/readyz is 503 when the probe fails", async () => {
    const g = memoryGateway();
    g.setReadiness(() => Promise.reject(new Error("connection refused")));
    const res = await g.call("/readyz");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "unavailable", database: "unavailable" });
  });

  it("/readyz gives up on a hung probe", { timeout: 5_000 }, async () => {
    const g = memoryGateway();
    g.setReadiness(() => new Promise(() => {}));
    const res = await g.call("/readyz");
    expect(res.status).toBe(503);
  });
});

describe("request ids", () => {
  it("echoes an acceptable client id", async () => {
    const g = memoryGateway();
    for (const path of ["/healthz", "/v1/models", "/v1/nope"]) {
      const res = await g.call(path, { headers: { "x-request-id": "client-123_abc:9" } });
      expect(res.headers.get("x-request-id")).toBe("client-123_abc:9");
    }
  });

  it("replaces an id that is too long or unsafe", async () => {
    const g = memoryGateway();
    for (const sent of ["a".repeat(129), "has space", 'quote"d', "<script>"]) {
      const res = await g.call("/healthz", { headers: { "x-request-id": sent } });
      const id = res.headers.get("x-request-id");
      expect(id).not.toBe(sent);
      expect(id).toMatch(/^req_[0-9a-f-]{36}$/);
    }
    const max = await g.call("/healthz", { headers: { "x-request-id": "a".repeat(128) } });
    expect(max.headers.get("x-request-id")).toBe("a".repeat(128));
  });

  it("gives each request its own id", async () => {
    const g = memoryGateway();
    const a = (await g.call("/healthz")).headers.get("x-request-id");
    const b = (await g.call("/healthz")).headers.get("x-request-id");
    expect(a).not.toBe(b);
  });
});

describe("faults", () => {
  it("turns a thrown non-GatewayError into a logged 500 without internals", async () => {
    const g = memoryGateway({
      apiKeys: {
        findByHash: () => {
          throw new Error('password authentication failed for user "switchyard"');
        },
      },
    });
    const key = "sy-" + "A".repeat(43);
    const res = await g.call("/v1/models", {
      headers: { authorization: `Bearer ${key}`, "x-request-id": "r-500" },
    });
    expect(res.status).toBe(500);
    expect(res.headers.get("x-request-id")).toBe("r-500");
    const text = await res.text();
    expect(text).not.toMatch(/password|switchyard"|\.ts:|at /);
    expect(JSON.parse(text).error).toMatchObject({
      type: "server_error",
      code: "internal_error",
      param: null,
    });
    expect(g.logged).toHaveLength(1);
    expect(g.logged[0]!.fields).toMatchObject({
      requestId: "r-500",
      error: expect.stringContaining("password"),
    });
  });

  it("passes a GatewayError thrown by a port through unchanged", async () => {
    const g = memoryGateway({
      models: {
        listModels: () => {
          throw new GatewayError("upstream_unavailable", 503, "The model catalog is unavailable.");
        },
      },
    });
    const { secret } = g.addKey();
    const res = await g.call("/v1/models", { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(503);
    expect(await errorOf(res)).toMatchObject({
      code: "upstream_unavailable",
      type: "server_error",
    });
    expect(g.logged).toEqual([]);
  });
});
