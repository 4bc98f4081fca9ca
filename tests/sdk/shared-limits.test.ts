import OpenAI, { RateLimitError } from "openai";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createLimitsEngine } from "~/gateway/limits";
import { deriveKeyHashSecret, displayParts, generateApiKey, hashApiKey } from "~/lib/api-key-secret";
import { newId, randomBase62 } from "~/lib/ids";
import { createRedisCounterStore } from "~/server/limits/redis-counter-store";
import { createRedisClient, quitRedisClient } from "~/server/redis/redis-client";
import { startRedisServer, type TestRedis } from "../helpers/redis-server";
import {
  freshDataDir,
  startServer,
  TEST_ENCRYPTION_KEY,
  type ServerProcess,
} from "../http/server-process";
import { usePostgres } from "../setup/postgres";
import { eventually, startMockUpstream, type MockUpstream } from "./harness";

/**
 * Two Switchyard processes on one PostgreSQL 15 and one redis-server (as in a multi-replica
 * deployment) enforce one rate limit and one hard budget between them: requests alternate (or
 * race) between the instances and the totals hold exactly.
 */

let redis: TestRedis;
let mock: MockUpstream;
let db: postgres.Sql;
const servers: ServerProcess[] = [];

const hashSecret = deriveKeyHashSecret(TEST_ENCRYPTION_KEY);
const user = (content: string) => [{ role: "user" as const, content }];
const unique = (label: string) => `${label} ${Math.random().toString(36).slice(2, 10)}`;

async function createOrgAndKey() {
  const orgId = newId("org");
  await db`insert into organizations (id, slug, name) values (${orgId}, ${orgId.toLowerCase().replace("_", "-")}, ${orgId})`;
  const secret = generateApiKey();
  const keyId = newId("key");
  const { prefix, last4 } = displayParts(secret);
  await db`insert into api_keys (id, org_id, name, prefix, last4, hash, created_by_label)
           values (${keyId}, ${orgId}, 'shared', ${prefix}, ${last4}, ${hashApiKey(secret, hashSecret)}, 'test')`;
  return { orgId, keyId, secret };
}

function clients(secret: string): OpenAI[] {
  return servers.map(
    (s) => new OpenAI({ baseURL: `${s.baseUrl}/v1`, apiKey: secret, maxRetries: 0, timeout: 20_000 }),
  );
}

beforeAll(async () => {
  const pg = await usePostgres(inject("postgresRunDir"));
  const url = await pg.createDatabase("shared_limits");
  [redis, mock] = await Promise.all([
    startRedisServer(),
    startMockUpstream([], { MOCK_CHUNK_DELAY_MS: "1" }),
  ]);
  const env = {
    SWITCHYARD_SERVE_CONSOLE: "0",
    DATABASE_URL: url,
    REDIS_URL: redis.url,
    OPENAI_BASE_URL: mock.url,
    OPENAI_API_KEY: "sk-mock-upstream",
  };
  // One after the other: the first applies the migrations.
  servers.push(await startServer({ dataDir: freshDataDir("shared-limits-a"), env }));
  servers.push(await startServer({ dataDir: freshDataDir("shared-limits-b"), env }));
  db = postgres(url, { max: 2, onnotice: () => {} });
}, 240_000);

afterAll(async () => {
  await db?.end({ timeout: 5 });
  await Promise.all(servers.map((s) => s.stop()));
  await Promise.all([redis?.stop(), mock?.stop()]);
});

describe("two instances sharing Redis and PostgreSQL", () => {
  it("enforce one RPM limit between them", async () => {
    const { orgId, keyId, secret } = await createOrgAndKey();
    await db`insert into key_limits (key_id, org_id, rpm) values (${keyId}, ${orgId}, 6)`;
    const [a, b] = clients(secret);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const client = i % 2 === 0 ? a! : b!;
      try {
        await client.chat.completions.create({ model: "gpt-4o-mini", messages: user(unique("rpm")) });
        statuses.push(200);
      } catch (err) {
        if (!(err instanceof RateLimitError)) throw err;
        statuses.push(429);
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429, 429, 429]);
  });

  it("hold one hard budget under a burst of 50 concurrent requests, and settle to the logged cost", async () => {
    const { orgId, keyId, secret } = await createOrgAndKey();
    const budgetId = `bud_${randomBase62(20)}`;
    const amount = 150;
    await db`insert into budgets (id, org_id, scope, key_id, amount_micros, period, hard, created_by_label)
             values (${budgetId}, ${orgId}, 'key', ${keyId}, ${amount}, 'monthly', true, 'test')`;
    const [a, b] = clients(secret);
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        try {
          await (i % 2 === 0 ? a! : b!).chat.completions.create({
            model: "gpt-4o-mini",
            max_tokens: 16,
            messages: user(unique("burst")),
          });
          return 200;
        } catch (err) {
          if (err instanceof RateLimitError && err.code === "budget_exceeded") return 429;
          throw err;
        }
      }),
    );
    const served = results.filter((r) => r === 200).length;
    expect(served).toBeGreaterThan(0);
    expect(served).toBeLessThan(50);

    const logged = await eventually(async () => {
      const [row] = await db<{ n: number; spent: string | null }[]>`
        select count(*)::int as n, coalesce(sum(cost_micros), 0)::text as spent
        from request_logs where org_id = ${orgId} and status = 200`;
      return row!.n === served ? row : null;
    }, 20_000);
    // With max_tokens set every reservation is a true maximum: no overshoot at all.
    expect(Number(logged!.spent)).toBeLessThanOrEqual(amount);

    // The shared counter (read through the engine over the same Redis) holds exactly the
    // logged spend once every request settled: nothing reserved, nothing lost.
    const client = createRedisClient(redis.url);
    try {
      const reader = createLimitsEngine({
        store: createRedisCounterStore(client),
        logger: { warn() {}, error() {} },
      });
      const snapshot = await eventually(async () => {
        const s = await reader.snapshot({
          orgId,
          keyId,
          limits: {
            key: null,
            org: null,
            model: null,
            allowUnpriced: false,
            budgets: [
              {
                id: budgetId,
                scope: "key",
                keyId,
                amountMicros: amount,
                period: "monthly",
                hard: true,
                alertThresholds: [50, 80, 100],
              },
            ],
          },
        });
        const budget = s.budgets[0]!;
        return budget.reservedMicros === 0 ? budget : null;
      }, 20_000);
      expect(snapshot.source).toBe("counter");
      expect(snapshot.spentMicros).toBe(Number(logged!.spent));
    } finally {
      await quitRedisClient(client);
    }
  });
});
