/**
 * Usage page end-to-end: the real one-process dev server (own Next dist dir, fresh embedded
 * database) driven by Debian's Chromium. A week of traffic is written straight into the server's
 * database (through its socket, as the CLI does); the page shows it, the CSV export downloads it
 * with the session, and an org without traffic shows the first-request empty state.
 * Screenshots: tests/output/screenshots/usage-*.png.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCliDatabase } from "~/cli/open-cli-database";
import { createApiKey } from "~/features/api-keys/server/create-api-key";
import { findOrganizationBySlug } from "~/features/orgs/server/find-organization-by-slug";
import { presetRange } from "~/features/usage/components/range-presets";
import { formatUsd } from "~/features/usage/usd-text";
import { requestLogs } from "~/server/db/schema";
import { CLI_ACTOR } from "~/server/domain/actor";
import {
  CHROMIUM,
  SCREENSHOTS,
  screenshot as takeScreenshot,
  startConsoleServer,
  stopConsoleServer,
  type ConsoleServer,
} from "../helpers/console-server";
import { logRow, type LogRow } from "./seed";

const OUTPUT = path.resolve("tests/output");
const NAV_TIMEOUT = 240_000;
const ACTION_TIMEOUT = 120_000;

async function screenshot(page: Page, name: string): Promise<void> {
  expect(await takeScreenshot(page, name), "the page is wider than the window").toBeNull();
}

/** Deterministic pseudo-random numbers (mulberry32): the same week of traffic on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODELS = [
  { model: "gpt-4o-mini", provider: "openai", inPerM: 150n, outPerM: 600n, weight: 5 },
  { model: "gpt-4o", provider: "openai", inPerM: 2_500n, outPerM: 10_000n, weight: 3 },
  {
    model: "claude-3-5-sonnet",
    provider: "anthropic",
    inPerM: 3_000n,
    outPerM: 15_000n,
    weight: 2,
  },
  { model: "my-llama-70b", provider: "vllm", inPerM: null, outPerM: null, weight: 1 },
] as const;

/** A week of requests ending now, over three keys and a handful of end users. */
function week(orgId: string, keyIds: string[], now: number): LogRow[] {
  const rand = random(42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  const weighted = MODELS.flatMap((m) => Array.from({ length: m.weight }, () => m));
  const rows: LogRow[] = [];
  for (let hour = 0; hour < 7 * 24 - 1; hour++) {
    // Busier in the (UTC) daytime, growing over the week.
    const at = now - (7 * 24 - 1 - hour) * 3_600_000 - 60_000;
    const daytime = new Date(at).getUTCHours() >= 8 && new Date(at).getUTCHours() < 20;
    const count = Math.floor(rand() * (daytime ? 4 : 2) * (1 + hour / 120));
    for (let i = 0; i < count; i++) {
      const m = pick(weighted);
      const prompt = 200 + Math.floor(rand() * 3000);
      const completion = 50 + Math.floor(rand() * 700);
      const failed = rand() < 0.04;
      const hit = !failed && m.inPerM !== null && rand() < 0.22;
      const full =
        m.inPerM === null
          ? null
          : (BigInt(prompt) * m.inPerM + BigInt(completion) * m.outPerM) / 1000n;
      rows.push(
        logRow(orgId, {
          apiKeyId: pick([keyIds[0]!, keyIds[0]!, keyIds[1]!, keyIds[2]!]),
          endUser:
            rand() < 0.8 ? pick(["u_ada", "u_grace", "u_alan", "u_edsger", "u_barbara"]) : null,
          requestedModel: m.model,
          servedModel: failed ? null : m.model,
          providerId: m.provider,
          status: failed ? 502 : 200,
          promptTokens: failed ? null : prompt,
          completionTokens: failed ? null : completion,
          cachedTokens: failed ? null : Math.floor(prompt * rand() * 0.3),
          costMicros: failed ? null : hit ? 0n : full,
          unpriced: !failed && m.inPerM === null,
          cacheStatus: failed ? null : hit ? (rand() < 0.3 ? "semantic_hit" : "hit") : "miss",
          savedMicros: hit ? full : null,
          createdAt: new Date(at + i * 1000),
        }),
      );
    }
  }
  return rows;
}

describe("usage console (browser)", () => {
  let server: ConsoleServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let baseUrl = "";
  let dataDir = "";
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = path.join(OUTPUT, "usage-console", `data-${Date.now()}`);
    mkdirSync(dataDir, { recursive: true });
    server = await startConsoleServer({ dataDir, distDir: ".next-usage-shots" });
    baseUrl = `http://localhost:${server.port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultNavigationTimeout(NAV_TIMEOUT);
    context.setDefaultTimeout(ACTION_TIMEOUT);
    page = await context.newPage();
    page.on("console", (msg) => {
      if (msg.type() === "error") consoleErrors.push(msg.text());
    });
    page.on("pageerror", (err) => consoleErrors.push(err.message));
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await stopConsoleServer(server);
  }, 60_000);

  it("shows a week of traffic: cards, charts, tables; exports CSV; empty state without traffic", async () => {
    await page.goto(`${baseUrl}/sign-up`);
    await page.getByLabel("Your name").fill("Ada Lovelace");
    await page.getByLabel("Work email").fill("ada@example.com");
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByLabel("Organization name").fill("Usage Co");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/orgs\/usage-co$/);

    // A week of traffic, written into the running server's database.
    const database = await openCliDatabase({ dataDir, progress: () => {} });
    let rows: LogRow[];
    try {
      const db = database.handle.db;
      const org = await findOrganizationBySlug(db, "usage-co");
      const keyIds: string[] = [];
      for (const name of ["production", "batch-jobs", "staging"]) {
        keyIds.push(
          (await createApiKey(db, { orgId: org.id, actor: CLI_ACTOR, input: { name } })).apiKey.id,
        );
      }
      // The "7 days" view covers today and the six UTC days before it.
      const since = presetRange("7d", Date.now()).since;
      rows = week(org.id, keyIds, Date.now()).filter((r) => r.createdAt! >= since);
      for (let i = 0; i < rows.length; i += 200)
        await db.insert(requestLogs).values(rows.slice(i, i + 200));
    } finally {
      await database.close();
    }
    const spend = rows.reduce((sum, r) => sum + (r.unpriced ? 0n : (r.costMicros ?? 0n)), 0n);
    const unpricedCount = rows.filter((r) => r.unpriced).length;

    await page
      .getByRole("navigation", { name: "Organization" })
      .getByRole("link", { name: "Usage" })
      .click();
    await page.waitForURL(/\/usage$/);
    await page
      .getByTestId("usage-chart-spend")
      .locator(".recharts-bar-rectangle")
      .first()
      .waitFor();
    await page
      .getByTestId("usage-chart-tokens")
      .locator(".recharts-bar-rectangle")
      .first()
      .waitFor();
    await expect(
      page.getByTestId("stat-requests").locator("dd").first().getAttribute("title"),
    ).resolves.toBe(rows.length.toLocaleString("en-US"));
    await expect(page.getByTestId("stat-spend").textContent()).resolves.toContain(formatUsd(spend));
    await expect(page.getByTestId("stat-spend").textContent()).resolves.toContain(
      `Excludes ${unpricedCount} unpriced`,
    );
    await expect(page.getByTestId("stat-unpriced").textContent()).resolves.toContain(
      String(unpricedCount),
    );
    // By model: the unpriced model says so instead of showing $0.
    const llama = page.getByTestId("breakdown-row").filter({ hasText: "my-llama-70b" });
    await expect(llama.textContent()).resolves.toContain("unpriced");
    await expect(page.getByTestId("top-key-row").count()).resolves.toBe(3);
    await expect(page.getByTestId("top-key-row").first().textContent()).resolves.toContain(
      "production",
    );
    await page.getByTestId("unpriced-row").filter({ hasText: "my-llama-70b" }).waitFor();
    await expect(
      page.getByRole("link", { name: "Pricing page" }).getAttribute("href"),
    ).resolves.toBe("/orgs/usage-co/logs/settings#prices");
    await screenshot(page, "usage");
    // Hovering a bar shows that bucket's figures.
    const chart = page.getByTestId("usage-chart-spend");
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.6);
    const tooltip = page.getByTestId("usage-tooltip");
    await tooltip.waitFor();
    await expect(tooltip.textContent()).resolves.toMatch(/Total\$/);
    await screenshot(page, "usage-tooltip");

    // Break down by API key, over the last 24 hours (hourly bars).
    await page.getByLabel("Break down by").selectOption("key");
    await page.getByRole("radio", { name: "24 hours" }).click();
    await page.waitForURL(/range=24h&by=key/);
    await page.getByTestId("breakdown-row").filter({ hasText: "batch-jobs" }).waitFor();
    await page
      .getByTestId("usage-chart-spend")
      .locator(".recharts-bar-rectangle")
      .first()
      .waitFor();
    await page.mouse.move(0, 0);
    await screenshot(page, "usage-24h-by-key");
    // A phone: cards stack, tables scroll inside their cards, nothing widens the page.
    await page.setViewportSize({ width: 390, height: 844 });
    await page
      .getByTestId("usage-chart-spend")
      .locator(".recharts-bar-rectangle")
      .first()
      .waitFor();
    await screenshot(page, "usage-mobile");
    await page.setViewportSize({ width: 1280, height: 900 });

    // CSV export with the console session; refused without it.
    const exportHref = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
    expect(exportHref).toMatch(/^\/orgs\/usage-co\/usage\/export\?by=key&since=/);
    const csv = await page.request.get(`${baseUrl}${exportHref}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-disposition"]).toMatch(
      /^attachment; filename="usage-usage-co-by-key-\d{8}-\d{8}\.csv"$/,
    );
    const lines = (await csv.text()).split("\r\n");
    expect(lines[0]).toBe(
      "bucket_start,api_key,api_key_id,requests,prompt_tokens,completion_tokens,cached_tokens,cost_usd,unpriced_requests,cache_hits,saved_usd",
    );
    expect(lines.length).toBeGreaterThan(3);
    const anonymous = await fetch(`${baseUrl}${exportHref}`);
    expect(anonymous.status).toBe(401);
    await anonymous.arrayBuffer();

    // A second org, no traffic yet: the empty state says what to do.
    await page.goto(`${baseUrl}/orgs/new`);
    await page.getByLabel("Name").fill("Quiet Co");
    await page.getByRole("button", { name: "Create organization" }).click();
    await page.waitForURL(/\/orgs\/quiet-co$/);
    await page.goto(`${baseUrl}/orgs/quiet-co/usage`);
    const empty = page.getByTestId("usage-empty");
    await empty.getByText("No usage yet").waitFor();
    await expect(empty.textContent()).resolves.toContain(`curl ${baseUrl}/v1/chat/completions`);
    await expect(
      empty.getByRole("link", { name: "Create an API key" }).getAttribute("href"),
    ).resolves.toBe("/orgs/quiet-co/keys");
    await screenshot(page, "usage-empty");

    expect(consoleErrors.filter((e) => !/Failed to load resource|favicon/i.test(e))).toEqual([]);
  }, 900_000);
});
