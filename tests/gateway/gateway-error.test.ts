import { describe, expect, it } from "vitest";
import { GatewayError, internalError } from "~/gateway/gateway-error";
import { createResponder } from "~/gateway/respond";

const errorResponse = createResponder().error;

describe("GatewayError", () => {
  it.each([
    [400, "invalid_request_error"],
    [401, "authentication_error"],
    [403, "permission_error"],
    [404, "invalid_request_error"],
    [405, "invalid_request_error"],
    [429, "rate_limit_error"],
    [500, "server_error"],
    [502, "server_error"],
  ])("status %i has type %s", (status, type) => {
    expect(new GatewayError("x", status, "m").type).toBe(type);
  });

  it("lets a caller choose the type", () => {
    expect(new GatewayError("x", 404, "m", null, { type: "not_found_error" }).type).toBe(
      "not_found_error",
    );
  });

  it("renders exactly OpenAI's error shape", async () => {
    const res = errorResponse(
      new GatewayError("bad_thing", 400, "Bad thing.", "messages"),
      "req_1",
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("x-request-id")).toBe("req_1");
    expect(await res.json()).toEqual({
      error: {
        message: "Bad thing.",
        type: "invalid_request_error",
        param: "messages",
        code: "bad_thing",
      },
    });
  });

  it("adds the error's own headers", () => {
    const res = errorResponse(
      new GatewayError("m", 405, "no", null, { headers: { allow: "GET" } }),
      "r",
    );
    expect(res.headers.get("allow")).toBe("GET");
  });

  it("internal errors say nothing about internals", () => {
    const body = internalError().toBody();
    expect(body.error).toMatchObject({ type: "server_error", code: "internal_error", param: null });
    expect(body.error.message).not.toMatch(/at |\.ts|Error:/);
  });
});
