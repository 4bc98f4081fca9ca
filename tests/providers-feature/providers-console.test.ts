/**
 * Providers page end-to-end: the real one-process dev server (own Next dist dir, fresh embedded
 * database) driven by Debian's Chromium, against the bench mock upstream (which requires a key).
 *
 * Flow: sign up → Providers (instance mock provider, empty state) → add a provider through the
 * dialog (preset, wrong key fails the test, right key passes, discover models, remove one chip)
 * → the table shows only the key's last 4 → test from the row → edit shows the stored key as
 * `…last4` → delete. Screenshots go to tests/output/screenshots/providers-*.png.
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
import { startMockUpstream, type MockUpstream } from "./mock-upstream";

const OUTPUT = path.resolve("tests/output");
const NAV_TIMEOUT = 240_000;
const ACTION_TIMEOUT = 120_000;
const UPSTREAM_KEY = "sk-console-upstream-key-4242";

async function screenshot(page: Page, name: string): Promise<void> {
  expect(await takeScreenshot(page, name), "the page is wider than the window").toBeNull();
}

describe("providers console (browser)", () => {
  let server: ConsoleServer | undefined;
  let upstream: MockUpstream | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let baseUrl = "";
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    const dataDir = path.join(OUTPUT, "providers-console", `data-${Date.now()}`);
    mkdirSync(dataDir, { recursive: true });
    [server, upstream] = await Promise.all([
      startConsoleServer({ dataDir, distDir: ".next-providers-shots" }),
      startMockUpstream({ MOCK_API_KEY: UPSTREAM_KEY }),
    ]);
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
    await Promise.all([stopConsoleServer(server), upstream?.stop()]);
  }, 60_000);

  it("adds, tests, discovers, edits and deletes a provider", async () => {
    await page.goto(`${baseUrl}/sign-up`);
    await page.getByLabel("Your name").fill("Grace Hopper");
    await page.getByLabel("Work email").fill("grace@example.com");
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByLabel("Organization name").fill("Compilers Inc");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/orgs\/compilers-inc$/);

    await page
      .getByRole("navigation", { name: "Organization" })
      .getByRole("link", { name: "Providers" })
      .click();
    await page.waitForURL(/\/providers$/);
    await page.getByText("No providers of your own yet").waitFor();
    const mockCard = page.getByTestId("instance-provider").filter({ hasText: "mock" });
    await mockCard.waitFor();
    await expect(mockCard.textContent()).resolves.toMatch(/\d+ models/);
    await screenshot(page, "providers-empty");

    // Add: a preset fills the base URL and a name.
    await page.getByRole("button", { name: "Add provider" }).first().click();
    const dialog = page.getByTestId("provider-dialog");
    await dialog.getByLabel("Preset").selectOption({ label: "Groq" });
    await expect(dialog.getByLabel("Base URL").inputValue()).resolves.toBe(
      "https://api.groq.com/openai/v1",
    );
    await expect(dialog.getByLabel("Name", { exact: true }).inputValue()).resolves.toBe("groq");
    await screenshot(page, "providers-dialog-preset");

    // Point it at the mock upstream; a wrong key fails the test with the upstream's reason.
    await dialog.getByLabel("Name", { exact: true }).fill("bench");
    await dialog.getByLabel("Base URL").fill(upstream!.baseUrl);
    await dialog.getByLabel("API key").fill("sk-wrong-key-0000");
    await dialog.getByRole("button", { name: "Test connection" }).click();
    const result = dialog.getByTestId("test-result");
    await result.getByText("Failed").waitFor();
    await expect(result.textContent()).resolves.toMatch(/401/);
    await screenshot(page, "providers-dialog-test-failed");

    await dialog.getByLabel("API key").fill(UPSTREAM_KEY);
    await dialog.getByRole("button", { name: "Test connection" }).click();
    await result.getByText("Connected").waitFor();

    await dialog.getByRole("button", { name: "Discover models" }).click();
    const chips = dialog.getByTestId("model-chips");
    await chips.getByText("gpt-4o-mini", { exact: true }).waitFor();
    await dialog.getByRole("button", { name: "Remove mock-error-500" }).click();
    await expect(chips.getByText("mock-error-500", { exact: true }).count()).resolves.toBe(0);
    const modelCount = await chips.locator("li").count();
    expect(modelCount).toBeGreaterThanOrEqual(5);
    await screenshot(page, "providers-dialog-models");
    await dialog.getByRole("button", { name: "Add provider" }).click();
    await dialog.waitFor({ state: "detached" });

    // The table: last 4 of the key only, the model count, not tested yet.
    const row = page.getByTestId("provider-row").filter({ hasText: "bench" });
    await row.waitFor();
    const rowText = (await row.textContent()) ?? "";
    expect(rowText).toContain(`…${UPSTREAM_KEY.slice(-4)}`);
    expect(rowText).not.toContain(UPSTREAM_KEY);
    expect(rowText).toContain(String(modelCount));
    expect(await page.content()).not.toContain(UPSTREAM_KEY);
    await row.getByRole("button", { name: "Test connection to bench" }).click();
    await row.getByText("OK", { exact: true }).waitFor();
    await screenshot(page, "providers-list");

    // Edit: the stored key shows as …last4 and stays when the field is left empty.
    await row.getByRole("button", { name: "Edit bench" }).click();
    const edit = page.getByTestId("provider-dialog");
    await edit.getByText(`Stored key …${UPSTREAM_KEY.slice(-4)}`).waitFor();
    await expect(edit.getByLabel("API key").inputValue()).resolves.toBe("");
    await screenshot(page, "providers-dialog-edit");
    await edit.getByRole("button", { name: "Cancel" }).click();
    await edit.waitFor({ state: "detached" });

    // Delete with confirmation.
    await row.getByRole("button", { name: "Delete bench" }).click();
    const confirm = page.getByTestId("delete-provider-dialog");
    await screenshot(page, "providers-delete-confirm");
    await confirm.getByRole("button", { name: "Delete provider" }).click();
    await page.getByText("No providers of your own yet").waitFor();

    expect(consoleErrors.filter((e) => !/Download the React DevTools/.test(e))).toEqual([]);
  }, 900_000);
});
