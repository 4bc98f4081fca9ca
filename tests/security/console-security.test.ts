/**
 * The console's own security over real HTTP, against the one-process dev server: security
 * headers on pages, HSTS only behind HTTPS, and tRPC mutations refused when a browser sends
 * them from another site (with a real signed-in session cookie, so only the origin check stands
 * between the attacker and the mutation). The sign-up in Chromium also proves the CSP lets Next's
 * inline scripts run (the page hydrates and the form works).
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCliDatabase } from "~/cli/open-cli-database";
import { findOrganizationBySlug } from "~/features/orgs/server/find-organization-by-slug";
import { randomBase62 } from "~/lib/ids";
import { requestLogs } from "~/server/db/schema";
import {
  CHROMIUM,
  SCREENSHOTS,
  screenshot,
  startConsoleServer,
  stopConsoleServer,
  type ConsoleServer,
} from "../helpers/console-server";

const OUTPUT = path.resolve("tests/output");
const NAV_TIMEOUT = 240_000;
const ACTION_TIMEOUT = 120_000;
/** Next dev compiles each route on first use; on a loaded 2-core machine that takes minutes. */
const STEP_TIMEOUT = 600_000;

describe("console security (HTTP + browser)", () => {
  let server: ConsoleServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let baseUrl = "";
  let dataDir = "";
  let cookie = "";
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = path.join(OUTPUT, "security-console", `data-${Date.now()}`);
    mkdirSync(dataDir, { recursive: true });
    server = await startConsoleServer({ dataDir, distDir: ".next-security" });
    baseUrl = `http://localhost:${server.port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
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

  it("signs up in the browser with the CSP on (Next's inline scripts run)", async () => {
    await page.goto(`${baseUrl}/sign-up`);
    await page.getByLabel("Your name").fill("Grace Hopper");
    await page.getByLabel("Work email").fill("grace@example.com");
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByLabel("Organization name").fill("Sec Co");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/orgs\/sec-co$/);
    cookie = (await context.cookies(baseUrl)).map((c) => `${c.name}=${c.value}`).join("; ");
    expect(cookie).toContain("authjs.session-token");
    expect(consoleErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
  }, STEP_TIMEOUT);

  it("pages carry CSP, frame, sniffing, referrer and permissions headers; no HSTS over plain HTTP", async () => {
    const res = await fetch(`${baseUrl}/sign-in`);
    await res.arrayBuffer();
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("permissions-policy")).toContain("camera=()");
    expect(res.headers.get("strict-transport-security")).toBeNull();
  }, STEP_TIMEOUT);

  it("sends HSTS when a TLS-terminating proxy says the request came over HTTPS", async () => {
    const res = await fetch(`${baseUrl}/sign-in`, { headers: { "x-forwarded-proto": "https" } });
    await res.arrayBuffer();
    expect(res.headers.get("strict-transport-security")).toContain("max-age=31536000");
  }, STEP_TIMEOUT);

  const createKey = (headers: Record<string, string>) =>
    fetch(`${baseUrl}/api/trpc/apiKeys.create`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, ...headers },
      body: JSON.stringify({ json: { orgSlug: "sec-co", name: `csrf ${Math.random()}` } }),
    });

  it("a signed-in tRPC mutation from this origin works", async () => {
    const res = await createKey({ origin: baseUrl, "sec-fetch-site": "same-origin" });
    const body = (await res.json()) as { result?: { data?: { json?: { secret?: string } } } };
    expect(res.status).toBe(200);
    expect(body.result?.data?.json?.secret).toMatch(/^sy-/);
  }, STEP_TIMEOUT);

  it("the same mutation from another site is refused with 403 and does nothing", async () => {
    const attempts: Record<string, string>[] = [
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      { origin: "https://evil.example" },
      { origin: `http://localhost.evil.example:${server!.port}` },
      { origin: "null" },
      { "sec-fetch-site": "same-site" },
    ];
    for (const headers of attempts) {
      const res = await createKey(headers);
      const body = (await res.json()) as { error?: { message?: string } };
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(body.error?.message).toMatch(/Cross-site request refused/);
    }
    const list = await fetch(
      `${baseUrl}/api/trpc/apiKeys.list?input=${encodeURIComponent(JSON.stringify({ json: { orgSlug: "sec-co" } }))}`,
      { headers: { cookie } },
    );
    const keys = ((await list.json()) as { result: { data: { json: unknown[] } } }).result.data.json;
    // Only the one key created from this origin.
    expect(keys).toHaveLength(1);
  }, STEP_TIMEOUT);

  it("reading (GET) is not affected by the origin check", async () => {
    const res = await fetch(
      `${baseUrl}/api/trpc/apiKeys.list?input=${encodeURIComponent(JSON.stringify({ json: { orgSlug: "sec-co" } }))}`,
      { headers: { cookie, origin: "https://evil.example" } },
    );
    await res.arrayBuffer();
    expect(res.status).toBe(200);
  }, STEP_TIMEOUT);

  it("the Security page charts blocked, flagged and denied requests by rule", async () => {
    // Traffic with guardrail hits and refusals, written into the running server's database.
    const database = await openCliDatabase({ dataDir, progress: () => {} });
    try {
      const db = database.handle.db;
      const org = await findOrganizationBySlug(db, "sec-co");
      const now = Date.now();
      const hit = (action: string, label: string, rule: string) => ({
        policy: "pol_demo",
        policyName: "Production guardrails",
        rule,
        detector: "secret.provider-keys",
        label,
        action,
        stage: "input",
        location: "messages[0].content",
        start: 0,
        end: 12,
        confidence: 0.95,
      });
      const rows: (typeof requestLogs.$inferInsert)[] = [];
      for (let i = 0; i < 40; i++) {
        const at = new Date(now - (i % 7) * 86_400_000 - i * 600_000);
        const kind = i % 5;
        rows.push({
          id: `req_${randomBase62(20)}`,
          orgId: org.id,
          endpoint: kind === 4 ? "embeddings" : "chat.completions",
          requestedModel: "gpt-4o-mini",
          status: kind === 0 || kind === 1 ? 400 : kind === 2 ? 200 : 403,
          errorCode:
            kind === 0 || kind === 1 ? "content_blocked" : kind === 3 ? "model_not_allowed" : kind === 4 ? "endpoint_not_allowed" : null,
          guardrailAction: kind === 0 || kind === 1 ? "block" : kind === 2 ? "flag" : null,
          guardrailHits:
            kind === 0
              ? ([hit("block", "OPENAI_API_KEY", "no-secrets")] as never)
              : kind === 1
                ? ([hit("block", "PROMPT_INJECTION", "no-injection")] as never)
                : kind === 2
                  ? ([hit("flag", "EMAIL", "pii")] as never)
                  : null,
          latencyMs: 12,
          createdAt: at,
        });
      }
      await db.insert(requestLogs).values(rows);
    } finally {
      await database.close();
    }
    await page.goto(`${baseUrl}/orgs/sec-co/security`);
    await page.getByTestId("security-chart").locator(".recharts-bar-rectangle").first().waitFor();
    await expect(page.getByTestId("stat-blocked").locator("dd").first().textContent()).resolves.toBe("16");
    await expect(page.getByTestId("stat-flagged").locator("dd").first().textContent()).resolves.toBe("8");
    await expect(page.getByTestId("stat-denied").locator("dd").first().textContent()).resolves.toBe("16");
    const rules = await page.getByTestId("security-rule-row").allTextContents();
    expect(rules.some((r) => r.includes("no-secrets") && r.includes("OPENAI_API_KEY"))).toBe(true);
    expect(rules.some((r) => r.includes("endpoint_not_allowed"))).toBe(true);
    expect(await screenshot(page, "security-page")).toBeNull();
    expect(consoleErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
  }, STEP_TIMEOUT);
});
