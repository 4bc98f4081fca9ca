import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "~/server/db/client";
import { requestLogs } from "~/server/db/schema";
import { csvWindows } from "~/features/usage/server/stream-usage-csv";
import { csvLine, csvText } from "~/features/usage/server/usage-csv";
import { usageCsvResponse } from "~/features/usage/server/usage-csv-response";
import { resolveUsageRange } from "~/features/usage/usage-range";
import { createTestDatabase } from "../helpers/db";
import { makeOrg, makeUser, type OrgFixture } from "../helpers/factories";
import { DAY, DAY1, HOUR, logRow, seedUsage, TWO_DAYS, type UsageSeed } from "./seed";

let handle: DatabaseHandle;
let seed: UsageSeed;
let weird: OrgFixture;
let long: OrgFixture;

const query = (params: Record<string, string>) => new URLSearchParams(params);
const twoDays = { since: TWO_DAYS.since.toISOString(), until: TWO_DAYS.until.toISOString() };

async function exportCsv(
  user: { id: string } | null,
  slug: string,
  params: Record<string, string>,
) {
  return usageCsvResponse({
    db: handle.db,
    user,
    slug,
    query: query(params),
    now: new Date(DAY1 + 2 * DAY),
  });
}

beforeAll(async () => {
  handle = await createTestDatabase();
  seed = await seedUsage(handle.db);
  // End users that a spreadsheet would mangle or run.
  weird = await makeOrg(handle.db, "Weird users");
  const users = [
    'eve "the\nhacker"',
    "=SUM(A1:A9)",
    "+1 555 0100",
    "-2+3",
    "@admin",
    "a,b",
    "\tindent",
    "plain",
  ];
  await handle.db.insert(requestLogs).values(
    users.map((endUser, i) =>
      logRow(weird.org.id, {
        endUser,
        costMicros: BigInt(100 - i),
        createdAt: new Date(DAY1 + HOUR),
      }),
    ),
  );
  // 60 days of one request a day: several statements (windows) behind one download.
  long = await makeOrg(handle.db, "Long range");
  await handle.db.insert(requestLogs).values(
    Array.from({ length: 60 }, (_, i) =>
      logRow(long.org.id, {
        costMicros: BigInt(i + 1),
        promptTokens: 1,
        createdAt: new Date(DAY1 + i * DAY + 12 * HOUR),
      }),
    ),
  );
});
afterAll(async () => {
  await handle.close();
});

describe("CSV cells", () => {
  it("quotes commas, quotes and line breaks; defuses formulas", () => {
    expect(csvText("plain")).toBe("plain");
    expect(csvText(null)).toBe("");
    expect(csvText("a,b")).toBe('"a,b"');
    expect(csvText('say "hi"')).toBe('"say ""hi"""');
    expect(csvText("two\nlines")).toBe('"two\nlines"');
    expect(csvText("cr\rhere")).toBe('"cr\rhere"');
    expect(csvText("=1+1")).toBe("'=1+1");
    expect(csvText("+1")).toBe("'+1");
    expect(csvText("-1")).toBe("'-1");
    expect(csvText("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvText("\tx")).toBe("'\tx");
    expect(csvText("=a,b")).toBe(`"'=a,b"`);
    expect(csvText("a=b")).toBe("a=b");
    expect(csvLine(["a", 1, ""])).toBe("a,1,\r\n");
  });

  it("windows cover the range back to back, on bucket edges", () => {
    const range = resolveUsageRange({
      since: new Date("2025-01-15T12:00:00Z"),
      until: new Date("2025-03-20T00:00:00Z"),
    });
    expect(csvWindows(range).map((w) => [w.since.toISOString(), w.until.toISOString()])).toEqual([
      ["2025-01-15T12:00:00.000Z", "2025-02-15T00:00:00.000Z"],
      ["2025-02-15T00:00:00.000Z", "2025-03-18T00:00:00.000Z"],
      ["2025-03-18T00:00:00.000Z", "2025-03-20T00:00:00.000Z"],
    ]);
    const hours = resolveUsageRange({
      since: new Date("2025-01-15T12:30:00Z"),
      until: new Date("2025-01-17T00:00:00Z"),
    });
    expect(csvWindows(hours).map((w) => w.until.toISOString())).toEqual([
      "2025-01-16T12:00:00.000Z",
      "2025-01-17T00:00:00.000Z",
    ]);
  });
});

describe("usage CSV export", () => {
  it("by model: header, one row per bucket and model, exact dollars, unpriced as empty cost", async () => {
    const res = await exportCsv(seed.a.users.viewer, seed.a.org.slug, { ...twoDays, by: "model" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="usage-${seed.a.org.slug}-by-model-20250301-20250303.csv"`,
    );
    expect(await res.text()).toBe(
      [
        "bucket_start,model,requests,prompt_tokens,completion_tokens,cached_tokens,cost_usd,unpriced_requests,cache_hits,saved_usd",
        "2025-03-01T00:00:00Z,gpt-4o,2,2000,400,100,1.234567,0,1,0.500000",
        "2025-03-01T05:00:00Z,claude-3-5-sonnet,1,3000,700,0,0.999999,0,1,0.250001",
        "2025-03-01T05:00:00Z,my-llama,1,50,5,0,,1,0,0.000000",
        "2025-03-01T12:00:00Z,gpt-4o,1,1,1,0,0.000011,0,0,0.000000",
        // The refused request cost nothing (it is not unpriced); the unpriced one has no cost.
        "2025-03-02T10:00:00Z,gpt-4o,1,0,0,0,0.000000,0,0,0.000000",
        "2025-03-02T10:00:00Z,my-llama,1,80,20,0,,1,0,0.000000",
        "2025-03-02T23:00:00Z,gpt-4o-mini,1,10,2,0,0.000003,0,0,0.000000",
        "",
      ].join("\r\n"),
    );
  });

  it("by key: names (formula-safe, quoted) and ids; B's key name never shows", async () => {
    const res = await exportCsv(seed.a.users.developer, seed.a.org.slug, { ...twoDays, by: "key" });
    const lines = (await res.text()).split("\r\n");
    expect(lines[0]).toBe(
      "bucket_start,api_key,api_key_id,requests,prompt_tokens,completion_tokens,cached_tokens,cost_usd,unpriced_requests,cache_hits,saved_usd",
    );
    expect(lines).toContain(
      `2025-03-01T05:00:00Z,"'=batch,jobs",${seed.keys.batch},2,3050,705,0,0.999999,1,1,0.250001`,
    );
    expect(lines).toContain(
      `2025-03-01T12:00:00Z,(deleted key),${seed.bKey},1,1,1,0,0.000011,0,0,0.000000`,
    );
    expect(lines.join("\n")).not.toContain('fixture key",');
  });

  it("end users with quotes, line breaks and formula starts come out as inert text", async () => {
    const res = await exportCsv(weird.users.viewer, weird.org.slug, { ...twoDays, by: "user" });
    const body = await res.text();
    const cells = body
      .split("\r\n")
      .slice(1, -1)
      .map((line) => line.slice("2025-03-01T01:00:00Z,".length, line.indexOf(",1,0,0,0,")));
    expect(cells).toEqual([
      '"eve ""the\nhacker"""',
      "'=SUM(A1:A9)",
      "'+1 555 0100",
      "'-2+3",
      "'@admin",
      '"a,b"',
      "'\tindent",
      "plain",
    ]);
  });

  it("only the org's own rows: B's export has B's figures", async () => {
    const res = await exportCsv(seed.b.users.viewer, seed.b.org.slug, {
      ...twoDays,
      by: "provider",
    });
    expect((await res.text()).split("\r\n")).toEqual([
      "bucket_start,provider,requests,prompt_tokens,completion_tokens,cached_tokens,cost_usd,unpriced_requests,cache_hits,saved_usd",
      "2025-03-01T01:00:00Z,openai,1,999000,999000,0,1000.000000,0,1,0.000077",
      "2025-03-01T02:00:00Z,openai,1,9,9,0,,1,0,0.000000",
      "",
    ]);
  });

  it("a long range streams window after window, in order", async () => {
    const res = await exportCsv(long.users.viewer, long.org.slug, {
      since: new Date(DAY1).toISOString(),
      until: new Date(DAY1 + 60 * DAY).toISOString(),
    });
    const rows = (await res.text()).split("\r\n").slice(1, -1);
    expect(rows).toHaveLength(60);
    expect(rows[0]).toBe("2025-03-01T00:00:00Z,gpt-4o,1,1,0,0,0.000001,0,0,0.000000");
    expect(rows[59]).toBe("2025-04-29T00:00:00Z,gpt-4o,1,1,0,0,0.000060,0,0,0.000000");
    const days = rows.map((r) => r.slice(0, 10));
    expect([...days].sort()).toEqual(days);
  });

  it("durations work as since (7d back from now)", async () => {
    const res = await exportCsv(seed.a.users.viewer, seed.a.org.slug, { since: "2d" });
    expect(res.status).toBe(200);
    expect((await res.text()).split("\r\n")).toHaveLength(1 + 7 + 1);
  });

  it("refuses the signed out (401), non-members (404) and bad input (400)", async () => {
    const statuses = async (
      user: { id: string } | null,
      slug: string,
      params: Record<string, string>,
    ) => {
      const res = await exportCsv(user, slug, params);
      return [res.status, ((await res.json()) as { error: { message: string } }).error.message];
    };
    expect(await statuses(null, seed.a.org.slug, twoDays)).toEqual([401, "Sign in first."]);
    const outsider = await makeUser(handle.db);
    expect(await statuses(outsider, seed.a.org.slug, twoDays)).toEqual([
      404,
      "Organization not found.",
    ]);
    expect(await statuses(seed.b.users.owner, seed.a.org.slug, twoDays)).toEqual([
      404,
      "Organization not found.",
    ]);
    expect(await statuses(seed.a.users.viewer, "no-such-org", twoDays)).toEqual([
      404,
      "Organization not found.",
    ]);
    const viewer = seed.a.users.viewer;
    const slug = seed.a.org.slug;
    expect((await statuses(viewer, slug, {}))[0]).toBe(400);
    expect(await statuses(viewer, slug, { since: "yesterday" })).toEqual([
      400,
      `since: "yesterday" is not a time; use a duration like 7d or an ISO date like 2026-01-31.`,
    ]);
    expect((await statuses(viewer, slug, { since: twoDays.until, until: twoDays.since }))[0]).toBe(
      400,
    );
    expect((await statuses(viewer, slug, { since: "2024-01-01", until: "2025-03-01" }))[0]).toBe(
      400,
    );
    expect((await statuses(viewer, slug, { ...twoDays, by: "cost" }))[0]).toBe(400);
  });
});
