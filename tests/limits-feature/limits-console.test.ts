/**
 * "Limits & budgets" page end to end, kept short: the real one-process dev server (own Next dist
 * dir, fresh embedded database) driven by Debian's Chromium. Sign up → the page from the nav
 * (empty states) → spend lands in the request log → add a budget (a bad amount first: the field
 * says why) → the consumption bar shows spent vs amount in amber → add the default tiers.
 * Screenshots: tests/output/screenshots/limits-*.png.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbSocketUrl, readLiveDbSocket } from "~/server/db/socket-server";
import {
  CHROMIUM,
  SCREENSHOTS,
  screenshot as takeScreenshot,
  startConsoleServer,
  stopConsoleServer,
  type ConsoleServer,
} from "../helpers/console-server";

const OUTPUT = path.resolve("tests/output");
const NAV_TIMEOUT = 240_000;
const ACTION_TIMEOUT = 120_000;

async function screenshot(page: Page, name: string): Promise<void> {
  expect(await takeScreenshot(page, name), "the page is wider than the window").toBeNull();
}

/** Two priced requests of this month in the org's request log, through the server's database socket. */
async function recordSpend(dataDir: string, slug: string): Promise<void> {
  const socket = readLiveDbSocket(dataDir);
  if (!socket) throw new Error("the server's database socket is not up");
  const sql = postgres(dbSocketUrl(socket), { max: 1, onnotice: () => {} });
  try {
    const [org] = await sql<{ id: string }[]>`select id from organizations where slug = ${slug}`;
    for (const [id, cost] of [
      ["req_console_1", 3_000_000],
      ["req_console_2", 1_200_000],
    ] as const) {
      await sql`insert into request_logs (id, org_id, endpoint, status, latency_ms, cost_micros)
                values (${id}, ${org!.id}, 'chat.completions', 200, 12, ${cost})`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

describe("limits console (browser)", () => {
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
    dataDir = path.join(OUTPUT, "limits-console", `data-${Date.now()}`);
    mkdirSync(dataDir, { recursive: true });
    server = await startConsoleServer({ dataDir, distDir: ".next-limits-shots" });
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

  it("adds a budget and shows its consumption bar; adds the default tiers", async () => {
    await page.goto(`${baseUrl}/sign-up`);
    await page.getByLabel("Your name").fill("Grace Hopper");
    await page.getByLabel("Work email").fill("grace@example.com");
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByLabel("Organization name").fill("Compilers Inc");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/orgs\/compilers-inc$/);

    await page
      .getByRole("navigation", { name: "Organization" })
      .getByRole("link", { name: "Limits & budgets" })
      .click();
    await page.waitForURL(/\/limits$/);
    await page.getByText("No budgets yet").waitFor();
    await page.getByText(/No tiers yet/).waitFor();
    await screenshot(page, "limits-empty");

    await recordSpend(dataDir, "compilers-inc");

    await page.getByRole("button", { name: "Add budget" }).first().click();
    const dialog = page.getByTestId("budget-dialog");
    await dialog.getByLabel("Amount (USD)").fill("five");
    await dialog.getByRole("button", { name: "Add budget" }).click();
    await dialog.getByText("must be a number").waitFor();
    // The refused call is logged by the browser and tRPC's dev logger: expected, so not counted.
    expect(consoleErrors.join("\n")).toMatch(/400 \(Bad Request\)/);
    consoleErrors.length = 0;
    await dialog.getByLabel("Amount (USD)").fill("5");
    await dialog.getByLabel("Period").selectOption("monthly");
    await dialog.getByRole("button", { name: "Add budget" }).click();
    await dialog.waitFor({ state: "detached" });

    const bar = page.getByTestId("budget-bar");
    await bar.waitFor();
    // $4.20 of $5.00 this month: 84%, amber (≥ 80%).
    await expect(bar.textContent()).resolves.toBe("$4.20 of $5.0084%");
    await expect(bar.getAttribute("data-tone")).resolves.toBe("warning");
    const row = page.locator('[data-testid^="budget-row-"]');
    await expect(row.textContent()).resolves.toMatch(/Organization.*Monthly.*Hard/);

    await page.getByRole("button", { name: "Add default tiers" }).click();
    await page.getByRole("table", { name: "Tiers" }).getByText("enterprise").waitFor();
    await screenshot(page, "limits-budget");
    expect(consoleErrors).toEqual([]);
  }, 900_000);
});
