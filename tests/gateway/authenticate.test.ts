import { describe, expect, it } from "vitest";
import { createContext } from "~/gateway/context";
import { GatewayError } from "~/gateway/gateway-error";
import { authenticate, presentedKey, redactKey } from "~/gateway/steps/authenticate";
import { memoryPorts } from "./fakes";

function setup() {
  const fakes = memoryPorts();
  const ports = {
    apiKeys: fakes.ports.apiKeys,
    hashKey: fakes.ports.hashKey,
    touchKey: fakes.ports.touchKey,
    clock: fakes.clock,
  };
  const run = (headers: Record<string, string>) =>
    authenticate(createContext("req_t", fakes.clock.now()), new Headers(headers), ports);
  const refusal = async (headers: Record<string, string>) => {
    const err = await run(headers).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  };
  return { ...fakes, run, refusal };
}

describe("presentedKey", () => {
  it.each([
    [{ authorization: "Bearer sy-abc" }, "sy-abc"],
    [{ authorization: "bearer sy-abc" }, "sy-abc"],
    [{ authorization: "BEARER   sy-abc  " }, "sy-abc"],
    [{ authorization: "\tBearer\tsy-abc" }, "sy-abc"],
    [{ "x-api-key": " sy-abc " }, "sy-abc"],
    [{ authorization: "Bearer sy-first", "x-api-key": "sy-second" }, "sy-first"],
    [{ authorization: "Basic Zm9vOmJhcg==", "x-api-key": "sy-second" }, "sy-second"],
  ])("reads %j", (headers, key) => {
    expect(presentedKey(new Headers(headers))).toEqual({ kind: "key", key });
  });

  it.each([
    [{}],
    [{ authorization: "" }],
    [{ authorization: "Bearer" }],
    [{ authorization: "Bearer   " }],
    [{ "x-api-key": "  " }],
  ])("treats %j as missing", (headers) => {
    expect(presentedKey(new Headers(headers))).toEqual({ kind: "missing" });
  });

  it("reports a non-bearer scheme", () => {
    expect(presentedKey(new Headers({ authorization: "Basic Zm9vOmJhcg==" }))).toEqual({
      kind: "bad-scheme",
    });
    expect(presentedKey(new Headers({ authorization: "Bearer two words" }))).toEqual({
      kind: "bad-scheme",
    });
  });
});

describe("redactKey", () => {
  it("keeps the prefix and last four only", () => {
    const key = "sy-AbCdEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnowxyz";
    expect(redactKey(key)).toBe("sy-AbCd…wxyz");
  });
  it("shows nothing of short secrets", () => {
    expect(redactKey("hunter2")).toBe("***");
  });
});

describe("authenticate", () => {
  it("accepts a stored key, records it on the context and touches it", async () => {
    const t = setup();
    const { secret, record } = t.addKey({ orgId: "org_x" });
    const ctx = createContext("req_1", 0);
    const found = await authenticate(ctx, new Headers({ authorization: `Bearer ${secret}` }), {
      ...t.ports,
      clock: t.clock,
    });
    expect(found).toBe(record);
    expect(ctx.key).toBe(record);
    expect(t.touched).toEqual([record.id]);
  });

  it("refuses a missing key with missing_api_key", async () => {
    const t = setup();
    const err = await t.refusal({});
    expect(err.status).toBe(401);
    expect(err.code).toBe("missing_api_key");
    expect(err.message).toMatch(/^No API key provided/);
  });

  it("refuses a malformed key without looking it up or echoing it", async () => {
    const t = setup();
    const secret = "sk-proj-THISISASECRETTHATMUSTNOTLEAK0123456789";
    const err = await t.refusal({ authorization: `Bearer ${secret}` });
    expect(err).toMatchObject({ status: 401, code: "invalid_api_key" });
    expect(err.message).toMatch(/^Incorrect API key provided: sk-proj…6789\./);
    expect(err.message).not.toContain(secret);
    expect(t.lookups).toEqual([]);
  });

  it("refuses an unknown well-formed key, showing only prefix and last four", async () => {
    const t = setup();
    const { secret } = t.addKey();
    const unknown = secret.slice(0, -1) + (secret.endsWith("a") ? "b" : "a");
    const err = await t.refusal({ "x-api-key": unknown });
    expect(err).toMatchObject({ status: 401, code: "invalid_api_key" });
    expect(err.message).toBe(
      `Incorrect API key provided: ${unknown.slice(0, 7)}…${unknown.slice(-4)}. You can find your API keys in the Switchyard console.`,
    );
    expect(t.lookups).toHaveLength(1);
    expect(t.touched).toEqual([]);
  });

  it("refuses a revoked key", async () => {
    const t = setup();
    const { secret } = t.addKey({ revokedAt: new Date("2029-06-01T00:00:00Z") });
    const err = await t.refusal({ authorization: `Bearer ${secret}` });
    expect(err).toMatchObject({
      status: 401,
      code: "invalid_api_key",
      message: "This API key has been revoked.",
    });
    expect(t.touched).toEqual([]);
  });

  it("judges expiry against the clock at request time", async () => {
    const t = setup();
    const expiresAt = new Date(t.clock.current + 1000);
    const { secret } = t.addKey({ expiresAt });
    await expect(t.run({ authorization: `Bearer ${secret}` })).resolves.toBeTruthy();
    t.clock.current += 1000;
    const err = await t.refusal({ authorization: `Bearer ${secret}` });
    expect(err).toMatchObject({
      status: 401,
      code: "invalid_api_key",
      message: `This API key expired at ${expiresAt.toISOString()}.`,
    });
  });

  it("refuses a non-bearer Authorization scheme", async () => {
    const t = setup();
    const err = await t.refusal({ authorization: "Basic Zm9vOmJhcg==" });
    expect(err).toMatchObject({ status: 401, code: "invalid_api_key" });
    expect(err.message).toMatch(/Authorization scheme/);
  });
});
