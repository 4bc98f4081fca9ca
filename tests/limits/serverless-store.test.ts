import { describe, expect, it } from "vitest";
import { createLimitsEngine, NOOP_ADMISSION } from "~/gateway/limits/limits-engine";
import { GatewayError } from "~/gateway/gateway-error";
import { createCounterStore } from "~/server/limits/create-counter-store";
import { captureLogger, limits, rate, request } from "./limits-fixtures";

// On a serverless host per-instance counters cannot hold a limit: without REDIS_URL limited
// requests are refused (never silently unlimited), unlimited ones are untouched.

describe("the counter store on a serverless host", () => {
  it("refuses limited requests with 503 limits_unavailable when no shared store is configured", async () => {
    const { store, kind } = createCounterStore({ redisUrl: null, serverless: true });
    expect(kind).toBe("missing");
    const { logger } = captureLogger();
    const engine = createLimitsEngine({ store, logger });
    const refused = await engine.admit(request(limits({ key: rate({ rpm: 100 }) }))).then(
      () => null,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(GatewayError);
    expect((refused as GatewayError).status).toBe(503);
    expect((refused as GatewayError).code).toBe("limits_unavailable");
    await expect(engine.ping()).rejects.toThrow(/REDIS_URL/);
    // A request with no limits never needs the store.
    expect(await engine.admit(request(limits({})))).toBe(NOOP_ADMISSION);
  });

  it("keeps counters in process on a long-running host without REDIS_URL", () => {
    expect(createCounterStore({ redisUrl: null }).kind).toBe("memory");
    expect(createCounterStore({ redisUrl: null, serverless: false }).kind).toBe("memory");
  });
});
