import OpenAI, { RateLimitError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBase62 } from "~/lib/ids";
import { freshDataDir, startServer, type ServerProcess } from "../http/server-process";
import {
  connectToServerDb,
  createKey,
  createOrg,
  eventually,
  startMockUpstream,
  type MockUpstream,
  type Sql,
} from "./harness";

/**
 * Rate limits, budgets and the response cache through the official `openai` SDK against a
 * running Switchyard (one instance, counters in process) whose `openai` provider is the bench
 * mock upstream — which tells how many calls really reached it.
 */

const dataDir = freshDataDir("sdk-cost-control");
let mock: MockUpstream;
let server: ServerProcess;
let sql: Sql;

const unique = (label: string) => `${label} ${Math.random().toString(36).slice(2, 10)}`;
const user = (content: string) => [{ role: "user" as const, content }];

function clientFor(secret: string): OpenAI {
  return new OpenAI({
    baseURL: `${server.baseUrl}/v1`,
    apiKey: secret,
    maxRetries: 0,
    timeout: 20_000,
  });
}

async function keyWithLimits(orgId: string, limits: { rpm?: number; tpm?: number }) {
  const key = await createKey(sql, orgId);
  await sql`insert into key_limits (key_id, org_id, rpm, tpm)
            values (${key.id}, ${orgId}, ${limits.rpm ?? null}, ${limits.tpm ?? null})`;
  return key;
}

beforeAll(async () => {
  mock = await startMockUpstream([], { MOCK_CHUNK_DELAY_MS: "1" });
  server = await startServer({
    dataDir,
    env: {
      SWITCHYARD_SERVE_CONSOLE: "0",
      OPENAI_BASE_URL: mock.url,
      OPENAI_API_KEY: "sk-mock-upstream",
    },
  });
  sql = connectToServerDb(dataDir);
}, 180_000);

afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await server?.stop();
  await mock?.stop();
});

describe("rate limits", () => {
  it("RPM 5: seven rapid requests get exactly five answers and two 429s, with OpenAI's headers", async () => {
    const orgId = await createOrg(sql);
    const { secret } = await keyWithLimits(orgId, { rpm: 5 });
    const client = clientFor(secret);
    const results = [];
    for (let i = 0; i < 7; i++) {
      try {
        const { response } = await client.chat.completions
          .create({ model: "gpt-4o-mini", messages: user(unique("rpm")) })
          .withResponse();
        results.push({ status: response.status, headers: response.headers });
      } catch (err) {
        if (!(err instanceof RateLimitError)) throw err;
        results.push({ status: err.status, headers: err.headers, error: err });
      }
    }
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(results.map((r) => r.headers.get("x-ratelimit-limit-requests"))).toEqual(
      Array(7).fill("5"),
    );
    expect(results.slice(0, 5).map((r) => r.headers.get("x-ratelimit-remaining-requests"))).toEqual(
      ["4", "3", "2", "1", "0"],
    );
    const refused = results[5]!;
    expect(refused.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    // One request refills every 12 s at 5 per minute.
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(12);
    expect(refused.headers.get("x-ratelimit-reset-requests")).toMatch(
      /^(\d+h)?(\d+m)?(\d+(\.\d+)?s|\d+ms)$/,
    );
    expect((refused as { error?: RateLimitError }).error?.code).toBe("rate_limit_exceeded");
    // The refused requests never reached the provider.
    const marker = await mock.requests("rpm");
    expect(marker.length).toBeGreaterThanOrEqual(5);
  });

  it("does not count another key's traffic", async () => {
    const orgId = await createOrg(sql);
    const limited = await keyWithLimits(orgId, { rpm: 1 });
    const free = await createKey(sql, orgId);
    await clientFor(limited.secret).chat.completions.create({
      model: "gpt-4o-mini",
      messages: user(unique("one")),
    });
    for (let i = 0; i < 3; i++) {
      const { response } = await clientFor(free.secret)
        .chat.completions.create({ model: "gpt-4o-mini", messages: user(unique("free")) })
        .withResponse();
      expect(response.status).toBe(200);
      // No limit applies to this key: no rate-limit headers.
      expect(response.headers.get("x-ratelimit-limit-requests")).toBeNull();
    }
    await expect(
      clientFor(limited.secret).chat.completions.create({
        model: "gpt-4o-mini",
        messages: user(unique("two")),
      }),
    ).rejects.toBeInstanceOf(RateLimitError);
  });
});

describe("budgets", () => {
  it("refuses with budget_exceeded once a hard budget is spent, and settles to the logged cost", async () => {
    const orgId = await createOrg(sql);
    const key = await createKey(sql, orgId);
    // 60 micro-dollars: a few small gpt-4o-mini answers (max_tokens bounds each reservation).
    await sql`insert into budgets (id, org_id, scope, key_id, amount_micros, period, hard, created_by_label)
              values (${`bud_${randomBase62(20)}`}, ${orgId}, 'key', ${key.id}, 60, 'monthly', true, 'test')`;
    const client = clientFor(key.secret);
    const outcomes: (number | string)[] = [];
    for (let i = 0; i < 12; i++) {
      try {
        await client.chat.completions.create({
          model: "gpt-4o-mini",
          max_tokens: 20,
          messages: user(unique("budget")),
        });
        outcomes.push(200);
      } catch (err) {
        if (!(err instanceof RateLimitError)) throw err;
        outcomes.push(String(err.code));
      }
    }
    const served = outcomes.filter((o) => o === 200).length;
    expect(served).toBeGreaterThan(0);
    expect(outcomes.slice(served)).toEqual(Array(12 - served).fill("budget_exceeded"));
    const rows = await eventually(async () => {
      const r = await sql<{ n: number; spent: string | null }[]>`
        select count(*)::int as n, sum(cost_micros)::text as spent
        from request_logs where org_id = ${orgId} and status = 200`;
      return r[0]!.n === served ? r[0] : null;
    });
    // What the answers really cost never goes over the hard budget.
    expect(Number(rows.spent)).toBeLessThanOrEqual(60);
    const refusedRows = await sql<{ n: number }[]>`
      select count(*)::int as n from request_logs where org_id = ${orgId} and error_code = 'budget_exceeded'`;
    expect(refusedRows[0]!.n).toBe(12 - served);
  });
});

describe("response cache", () => {
  it("answers a repeated temperature-0 request from the cache without calling the provider", async () => {
    const orgId = await createOrg(sql);
    const { secret } = await createKey(sql, orgId);
    const client = clientFor(secret);
    const marker = unique("cache-exact");
    const request = { model: "gpt-4o-mini", temperature: 0, messages: user(marker) };
    const first = await client.chat.completions.create(request).withResponse();
    expect(first.response.headers.get("x-switchyard-cache")).toBe("MISS");
    const second = await client.chat.completions.create(request).withResponse();
    expect(second.response.headers.get("x-switchyard-cache")).toBe("HIT");
    expect(second.response.headers.get("x-switchyard-attempts")).toBe("0");
    expect(second.data.choices[0]!.message.content).toBe(first.data.choices[0]!.message.content);
    expect(await mock.requests(marker)).toHaveLength(1);

    // A streamed request with the same content is replayed from the same entry.
    const stream = await client.chat.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: unknown = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(first.data.choices[0]!.message.content);
    expect(usage).toMatchObject({ prompt_tokens: first.data.usage!.prompt_tokens });
    expect(await mock.requests(marker)).toHaveLength(1);

    // The hit is logged at $0 with what it saved.
    const logged = await eventually(async () => {
      const r = await sql<{ cache_status: string; cost_micros: string | null; saved_micros: string | null }[]>`
        select cache_status, cost_micros::text, saved_micros::text from request_logs
        where org_id = ${orgId} and cache_status = 'hit'`;
      return r.length === 2 ? r : null;
    });
    for (const row of logged) {
      expect(row.cost_micros).toBe("0");
      expect(Number(row.saved_micros)).toBeGreaterThan(0);
    }
  });

  it("never serves one org's entry to another, and follows the header's mode", async () => {
    const [orgA, orgB] = [await createOrg(sql), await createOrg(sql)];
    const a = clientFor((await createKey(sql, orgA)).secret);
    const b = clientFor((await createKey(sql, orgB)).secret);
    const marker = unique("cache-tenancy");
    const request = { model: "gpt-4o-mini", temperature: 0, messages: user(marker) };
    await a.chat.completions.create(request);
    const fromB = await b.chat.completions.create(request).withResponse();
    expect(fromB.response.headers.get("x-switchyard-cache")).toBe("MISS");
    expect(await mock.requests(marker)).toHaveLength(2);

    const off = await a.chat.completions
      .create(request, { headers: { "x-switchyard-cache": "off" } })
      .withResponse();
    expect(off.response.headers.get("x-switchyard-cache")).toBe("BYPASS");
    const refresh = await a.chat.completions
      .create(request, { headers: { "x-switchyard-cache": "refresh" } })
      .withResponse();
    expect(refresh.response.headers.get("x-switchyard-cache")).toBe("MISS");
    expect(await mock.requests(marker)).toHaveLength(4);

    // Without temperature 0 (and the org's default off) nothing is cached.
    const creative = await a.chat.completions
      .create({ model: "gpt-4o-mini", messages: user(marker) })
      .withResponse();
    expect(creative.response.headers.get("x-switchyard-cache")).toBe("BYPASS");

    const bad = await fetch(`${server.baseUrl}/v1/chat/completions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${(await createKey(sql, orgA)).secret}`,
        "content-type": "application/json",
        "x-switchyard-cache": "sometimes",
      },
      body: JSON.stringify(request),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_cache_header");
  });

  it("makes one upstream call for concurrent identical requests", async () => {
    const orgId = await createOrg(sql);
    const client = clientFor((await createKey(sql, orgId)).secret);
    const marker = unique("singleflight");
    const request = { model: "gpt-4o-mini", temperature: 0, messages: user(marker) };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => client.chat.completions.create(request).withResponse()),
    );
    const statuses = answers.map((a) => a.response.headers.get("x-switchyard-cache")).sort();
    expect(statuses.filter((s) => s === "MISS")).toHaveLength(1);
    expect(statuses.filter((s) => s === "HIT")).toHaveLength(7);
    expect(await mock.requests(marker)).toHaveLength(1);
  });

  it("serves a near-identical prompt from the semantic cache when the org opted in, and not a different one", async () => {
    const orgId = await createOrg(sql);
    await sql`insert into org_limit_settings (org_id, semantic_cache, semantic_threshold)
              values (${orgId}, true, 0.9)`;
    const client = clientFor((await createKey(sql, orgId)).secret);
    const tag = Math.random().toString(36).slice(2, 8);
    const ask = (content: string) =>
      client.chat.completions
        .create({ model: "gpt-4o-mini", temperature: 0, messages: user(content) })
        .withResponse();
    const first = await ask(`semantic ${tag}: what is the capital of France? answer briefly please`);
    expect(first.response.headers.get("x-switchyard-cache")).toBe("MISS");
    // The embedding is written behind the answer.
    await eventually(async () => {
      const rows = await sql`select 1 from semantic_cache_entries where org_id = ${orgId}`;
      return rows.length === 1;
    });
    const close = await ask(`semantic ${tag}: what is the capital of France? Answer briefly, please!`);
    expect(close.response.headers.get("x-switchyard-cache")).toBe("HIT");
    expect(Number(close.response.headers.get("x-switchyard-cache-similarity"))).toBeGreaterThanOrEqual(0.9);
    expect(close.data.choices[0]!.message.content).toBe(first.data.choices[0]!.message.content);
    const far = await ask(`semantic ${tag}: list three rivers that flow through Germany`);
    expect(far.response.headers.get("x-switchyard-cache")).toBe("MISS");
    expect(await mock.requests(`semantic ${tag}`)).toHaveLength(2);
  });
});
