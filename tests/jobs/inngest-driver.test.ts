import { InngestTestEngine, mockCtx } from "@inngest/test";
import { Inngest } from "inngest";
import { describe, expect, it } from "vitest";
import { defineJob } from "~/jobs/define-job";
import { toInngestFunction } from "~/jobs/inngest/inngest-functions";
import { parseEnv } from "~/env";
import { jobDriverKind } from "~/jobs/job-driver";

/*
 * The Inngest driver: a JobDefinition becomes an Inngest function with the same trigger, retries
 * and concurrency, whose handler sees the contract's context. Runs go through @inngest/test (a
 * fresh engine per test): Inngest memoizes `step.run`, retries re-run only what did not complete.
 */

const client = new Inngest({ id: "switchyard-test", isDev: true });

function flakyJob(calls: { first: number; second: number; attempts: number[] }) {
  return defineJob<{ n: number }>({
    id: "test/inngest-flaky",
    name: "Flaky on Inngest",
    trigger: { event: "test/inngest.flaky" },
    retries: 4,
    concurrency: 2,
    handler:
      async () =>
      async ({ event, step, attempt }) => {
        calls.attempts.push(attempt);
        const first = await step.run("first", () => {
          calls.first++;
          return event.data.n * 2;
        });
        const second = await step.run("second", () => {
          calls.second++;
          if (attempt === 1) throw new Error("upstream timeout");
          return first + 1;
        });
        return { second };
      },
  });
}

describe("driver choice", () => {
  it("is Inngest when an event key or INNGEST_DEV is set, the local driver otherwise", () => {
    expect(jobDriverKind({ INNGEST_EVENT_KEY: undefined, INNGEST_DEV: undefined })).toBe("local");
    expect(jobDriverKind({ INNGEST_EVENT_KEY: undefined, INNGEST_DEV: "0" })).toBe("local");
    expect(jobDriverKind({ INNGEST_EVENT_KEY: "key", INNGEST_DEV: undefined })).toBe("inngest");
    expect(
      jobDriverKind({ INNGEST_EVENT_KEY: undefined, INNGEST_DEV: "http://localhost:8288" }),
    ).toBe("inngest");
  });
});

describe("job definitions as Inngest functions", () => {
  it("keeps id, trigger, retries and concurrency; crons default to one at a time, in UTC", () => {
    const calls = { first: 0, second: 0, attempts: [] as number[] };
    const fn = toInngestFunction(client, flakyJob(calls)) as unknown as {
      opts: Record<string, unknown>;
    };
    expect(fn.opts).toMatchObject({
      id: "test/inngest-flaky",
      name: "Flaky on Inngest",
      triggers: [{ event: "test/inngest.flaky" }],
      retries: 4,
      concurrency: { limit: 2 },
    });
    const cron = toInngestFunction(
      client,
      defineJob({
        id: "test/cron",
        name: "Cron",
        trigger: { cron: "15 * * * *" },
        handler: async () => async () => null,
      }),
    ) as unknown as { opts: Record<string, unknown> };
    expect(cron.opts).toMatchObject({
      triggers: [{ cron: "TZ=UTC 15 * * * *" }],
      retries: 3,
      concurrency: { limit: 1 },
    });
  });

  it("a failing step fails the attempt; the retry re-uses the completed step's result", async () => {
    const calls = { first: 0, second: 0, attempts: [] as number[] };
    const fn = toInngestFunction(client, flakyJob(calls));
    const events: [{ name: string; data: { n: number } }] = [
      { name: "test/inngest.flaky", data: { n: 20 } },
    ];

    const firstTry = await new InngestTestEngine({ function: fn, events }).execute();
    expect(firstTry.error).toMatchObject({ message: "upstream timeout" });
    expect(calls).toEqual({ first: 1, second: 1, attempts: [1, 1] });

    // The retry as Inngest runs it: attempt 1 (zero-based), with the completed step's state.
    const retry = await new InngestTestEngine({
      function: fn,
      events,
      steps: [{ id: "first", handler: () => 40 }],
      transformCtx: (ctx) => ({ ...mockCtx(ctx), attempt: 1 }),
    }).execute();
    expect(retry.error).toBeUndefined();
    expect(retry.result).toEqual({ second: 41 });
    // `first` was not run again; `second` ran on the retry.
    expect(calls.first).toBe(1);
    expect(calls.second).toBe(2);
    expect(calls.attempts.at(-1)).toBe(2);
  });

  it("imports the handler lazily, on the first run", async () => {
    let imported = 0;
    const fn = toInngestFunction(
      client,
      defineJob({
        id: "test/lazy",
        name: "Lazy",
        trigger: { event: "test/lazy" },
        handler: async () => {
          imported++;
          return async ({ event }) => ({ echoed: event.data });
        },
      }),
    );
    expect(imported).toBe(0);
    const { result } = await new InngestTestEngine({
      function: fn,
      events: [{ name: "test/lazy", data: { a: 1 } }],
    }).execute();
    expect(result).toEqual({ echoed: { a: 1 } });
    expect(imported).toBe(1);
  });
});

describe("environment", () => {
  const base = {
    AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789abcdef",
    SWITCHYARD_ENCRYPTION_KEY: "dGVzdC1lbmNyeXB0aW9uLWtleS0wMTIzNDU2Nzg5YWJjZGVm",
  };
  it("validates INNGEST_DEV and asks for the signing key with an event key in production", () => {
    expect(parseEnv({ ...base, INNGEST_DEV: "http://localhost:8288" }).INNGEST_DEV).toBe(
      "http://localhost:8288",
    );
    expect(() => parseEnv({ ...base, INNGEST_DEV: "maybe" })).toThrow(/INNGEST_DEV/);
    expect(() =>
      parseEnv({ ...base, NODE_ENV: "production", INNGEST_EVENT_KEY: "evt-key" }),
    ).toThrow(/INNGEST_SIGNING_KEY: required/);
    expect(
      parseEnv({
        ...base,
        NODE_ENV: "production",
        INNGEST_EVENT_KEY: "evt-key",
        INNGEST_SIGNING_KEY: "signkey-prod-123",
      }).INNGEST_SIGNING_KEY,
    ).toBe("signkey-prod-123");
  });
});
