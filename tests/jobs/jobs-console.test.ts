/**
 * The Jobs page end to end: the real one-process dev server (its local job driver running, fresh
 * embedded database) driven by Debian's Chromium. Sign up → Jobs from the nav (schedules with
 * their next run, empty runs) → "Run now" on a schedule: the server's driver runs it and the page
 * follows it live to "completed" → a failed run of the org is retried.
 * Screenshots: tests/output/screenshots/jobs-*.png.
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

async function withServerDb<T>(dataDir: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const socket = readLiveDbSocket(dataDir);
  if (!socket) throw new Error("the server's database socket is not up");
  const sql = postgres(dbSocketUrl(socket), { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

describe("jobs console (browser)", () => {
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
    dataDir = path.join(OUTPUT, "jobs-console", `data-${Date.now()}`);
    mkdirSync(dataDir, { recursive: true });
    server = await startConsoleServer({ dataDir, distDir: ".next-jobs-shots" });
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

  it("runs a scheduled job now and follows it live; retries a failed run", async () => {
    await page.goto(`${baseUrl}/sign-up`);
    await page.getByLabel("Your name").fill("Margaret Hamilton");
    await page.getByLabel("Work email").fill("margaret@example.com");
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByLabel("Organization name").fill("Apollo Guidance");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/orgs\/apollo-guidance$/);

    await page
      .getByRole("navigation", { name: "Organization" })
      .getByRole("link", { name: "Jobs" })
      .click();
    await page.waitForURL(/\/jobs$/);
    await page.getByRole("heading", { name: "Jobs", level: 1 }).waitFor();
    const prune = page.getByTestId("schedule-row").filter({ hasText: "jobs/prune-job-runs" });
    await prune.getByText("40 3 * * *").waitFor();
    await page.getByText("No job runs yet").waitFor();
    await screenshot(page, "jobs-empty");

    await prune.getByRole("button", { name: "Run now" }).click();
    await page.getByText("Jobs: prune finished runs queued.").waitFor();
    // The server's driver picks it up; the page refreshes itself while it is queued or running.
    const runRow = page.getByTestId("job-run-row").filter({ hasText: "Jobs: prune finished runs" });
    await runRow.getByText("completed").waitFor({ timeout: 60_000 });
    await expect(runRow.getByText("1 / 3").isVisible()).resolves.toBe(true);

    // A failed run of this org (as the ingestion job leaves one) can be retried.
    await withServerDb(dataDir, async (sql) => {
      const [org] = await sql<
        { id: string }[]
      >`select id from organizations where slug = 'apollo-guidance'`;
      await sql`insert into job_runs (id, job_id, org_id, trigger, status, attempts, max_attempts, started_at, finished_at, duration_ms, error, data)
                values ('run_console_failed', 'knowledge/ingest-file', ${org!.id}, 'event', 'failed', 4, 4,
                        now() - interval '2 minutes', now() - interval '1 minute', 61234,
                        'The file could not be parsed: unexpected end of PDF', ${sql.json({ orgId: org!.id })})`;
    });
    await page.reload();
    const failedRow = page.getByTestId("job-run-row").filter({ hasText: "unexpected end of PDF" });
    await failedRow.getByText("failed").waitFor();
    await screenshot(page, "jobs-runs");
    await failedRow.getByRole("button", { name: "Retry" }).click();
    await page.getByText("Run queued again.").waitFor();
    await expect
      .poll(() =>
        withServerDb(dataDir, async (sql) => {
          const [run] = await sql<
            { attempts: number; status: string }[]
          >`select attempts, status from job_runs where id = 'run_console_failed'`;
          return run!.status !== "failed" || run!.attempts < 4;
        }),
      )
      .toBe(true);
    expect(consoleErrors).toEqual([]);
  }, 600_000);
});
