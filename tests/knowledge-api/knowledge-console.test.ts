/**
 * Knowledge page end-to-end: the real one-process dev server (own Next dist dir, fresh embedded
 * database) driven by Debian's Chromium.
 *
 * Flow: sign up → Knowledge (empty state) → create a knowledge base in the dialog → upload a good
 * Markdown file and a broken PDF through the upload zone → live status reaches Ready and Failed
 * (with the reason) → preview the passages → search finds the right passage.
 * Screenshots: tests/output/screenshots/knowledge-*.png.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHROMIUM,
  SCREENSHOTS,
  screenshot as takeScreenshot,
  startConsoleServer,
  stopConsoleServer,
  type ConsoleServer,
} from "../helpers/console-server";

const OUTPUT = path.resolve("tests/output");
const NAV_TIMEOUT = 540_000;
const ACTION_TIMEOUT = 240_000;

async function screenshot(page: Page, name: string): Promise<void> {
  expect(await takeScreenshot(page, name), "the page is wider than the window").toBeNull();
}

const HANDBOOK = `# Handbook

## Passwords

To reset a forgotten password, open Settings, then Security, and choose "Reset password". The link expires after thirty minutes.

## Holidays

The office is closed on public holidays and badges do not work.
`;

describe("knowledge console (browser)", () => {
  let server: ConsoleServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let baseUrl = "";
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    const dataDir = path.join(OUTPUT, "knowledge-console", `data-${Date.now()}`);
    mkdirSync(dataDir, { recursive: true });
    server = await startConsoleServer({ dataDir, distDir: ".next-knowledge-shots" });
    baseUrl = `http://localhost:${server.port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
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

  it("creates a knowledge base, ingests uploads with live status, previews and searches", async () => {
    await page.goto(`${baseUrl}/sign-up`);
    await page.getByLabel("Your name").fill("Grace Hopper");
    await page.getByLabel("Work email").fill("grace@example.com");
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByLabel("Organization name").fill("Compilers Inc");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/orgs\/compilers-inc$/);

    await page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Knowledge" }).click();
    await page.waitForURL(/\/knowledge$/);
    await page.getByText("No knowledge bases yet").waitFor();
    await screenshot(page, "knowledge-empty");

    await page.getByRole("button", { name: "New knowledge base" }).first().click();
    const dialog = page.getByTestId("create-store-dialog");
    await dialog.getByLabel("Name").fill("Support handbook");
    await dialog.getByLabel("Chunk size").fill("200");
    await dialog.getByLabel("Overlap").fill("0");
    await dialog.getByRole("button", { name: "Create" }).click();
    await page.getByTestId("documents-empty").waitFor();

    await page.getByLabel("Upload documents").setInputFiles([
      { name: "handbook.md", mimeType: "text/markdown", buffer: Buffer.from(HANDBOOK) },
      { name: "scan.pdf", mimeType: "application/pdf", buffer: Buffer.from("<html>Please sign in</html>") },
    ]);
    const rows = page.getByTestId("document-row");
    await rows.filter({ hasText: "handbook.md" }).getByText("Ready").waitFor();
    await rows.filter({ hasText: "scan.pdf" }).getByText("Failed").waitFor();
    await expect(rows.filter({ hasText: "scan.pdf" }).textContent()).resolves.toMatch(/PDF/);
    await screenshot(page, "knowledge-documents");

    await rows.filter({ hasText: "handbook.md" }).getByRole("button", { name: "Preview" }).click();
    const preview = page.getByTestId("chunk-preview");
    await preview.getByText("Reset password", { exact: false }).waitFor();
    await screenshot(page, "knowledge-preview");
    await page.keyboard.press("Escape");

    await page.getByLabel("Search this knowledge base").fill("how do I reset my password");
    await page.getByRole("button", { name: "Search" }).click();
    const results = page.getByTestId("search-results");
    await results.waitFor();
    await expect(results.locator("li").first().textContent()).resolves.toContain("Reset password");
    await screenshot(page, "knowledge-search");
    expect(consoleErrors.filter((e) => !/favicon|Download the React DevTools/.test(e))).toEqual([]);
  }, 1_500_000);
});
