import { describe, expect, it } from "vitest";
import { createGatewayPathMatcher, isApiPath, isHealthPath } from "~/server/gateway/paths";

describe("gateway path matching", () => {
  it.each(["/v1", "/v1/", "/v1/models", "/v1/chat/completions?x=1", "/v1?x"])(
    "%s is the API",
    (url) => {
      expect(isApiPath(url)).toBe(true);
    },
  );
  it.each(["/", "/v10", "/v1beta/models", "/api/trpc/x", "/V1/models", "/x/v1/models"])(
    "%s is not",
    (url) => {
      expect(isApiPath(url)).toBe(false);
    },
  );
  it.each([
    ["/healthz", true],
    ["/readyz?verbose=1", true],
    ["/healthzz", false],
    ["/readyz/x", false],
  ])("%s health: %s", (url, expected) => {
    expect(isHealthPath(url)).toBe(expected);
  });

  it("routes by configuration", () => {
    const normal = createGatewayPathMatcher({ apiViaNext: false, serveConsole: true });
    const viaNext = createGatewayPathMatcher({ apiViaNext: true, serveConsole: true });
    const apiOnly = createGatewayPathMatcher({ apiViaNext: false, serveConsole: false });
    expect([normal("/v1/models"), normal("/healthz"), normal("/sign-in")]).toEqual([
      true,
      true,
      false,
    ]);
    expect([viaNext("/v1/models"), viaNext("/healthz"), viaNext("/sign-in")]).toEqual([
      false,
      true,
      false,
    ]);
    expect([apiOnly("/v1/models"), apiOnly("/healthz"), apiOnly("/sign-in")]).toEqual([
      true,
      true,
      true,
    ]);
  });
});
