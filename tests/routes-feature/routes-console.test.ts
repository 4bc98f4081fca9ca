/**
 * Routes page end-to-end: the real one-process dev server (own Next dist dir, fresh embedded
 * database, the built-in mock provider on) driven by Debian's Chromium.
 *
 * Flow: sign up → Routes (empty state with a sample file, the config file's route read-only) →
 * new route in the form → YAML mode validates live (a bad strategy shows its line, the fix shows
 * "Valid route") → create (a warning for the target no provider offers) → listed → an app's
 * request through /v1 fails over and opens the first target's breaker, which the health card
 * shows → "try it" skips that target and shows who answered → edit to weighted (version 2).
 * Screenshots: tests/output/screenshots/routes-*.png.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
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

const TSX = path.resolve("node_modules/tsx/dist/cli.mjs");
const OUTPUT = path.resolve("tests/output");
const NAV_TIMEOUT = 240_000;
const ACTION_TIMEOUT = 120_000;

/** `keys create` through the CLI, which reaches the running server's embedded database. */
function createKey(dataDir: string, org: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LOG_LEVEL: "warn",
      SWITCHYARD_DATA_DIR: dataDir,
    };
    delete env.DATABASE_URL;
    const child = spawn(
      process.execPath,
      [TSX, "src/cli/index.ts", "keys", "create", "--org", org, "--name", "e2e"],
      { env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("close", (code) => {
      const key = stdout.trim().split("\n").at(-1) ?? "";
      if (code === 0 && /^sy-\w{43}$/.test(key)) resolve(key);
      else reject(new Error(`keys create exited ${code}: ${stderr}`));
    });
  });
}

async function screenshot(page: Page, name: string): Promise<void> {
  expect(await takeScreenshot(page, name), "the page is wider than the window").toBeNull();
}

const ROUTE_YAML_BAD = `name: smart
description: Falls back from a failing model
strategy: fastest
targets:
  - model: mock/mock-error-500
  - model: mock/mock-gpt
  - model: spare/not-configured
`;

describe("routes console (browser)", () => {
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
    dataDir = path.join(OUTPUT, "routes-console", `data-${Date.now()}`);
    mkdirSync(dataDir, { recursive: true });
    // An instance-wide route every org gets (read-only in the console).
    const configFile = path.join(dataDir, "switchyard.yaml");
    writeFileSync(
      configFile,
      "routes:\n  - name: house-default\n    description: Set by the operator\n    targets:\n      - model: mock/mock-gpt\n",
    );
    server = await startConsoleServer({
      dataDir,
      distDir: ".next-routes-shots",
      env: { SWITCHYARD_ENABLE_MOCK_PROVIDER: "1", SWITCHYARD_CONFIG: configFile },
    });
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

  it("creates a route in the editor, lists it, shows the breaker app traffic opened, tries it, edits it", async () => {
    await page.goto(`${baseUrl}/sign-up`);
    await page.getByLabel("Your name").fill("Ada Lovelace");
    await page.getByLabel("Work email").fill("ada@example.com");
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByLabel("Organization name").fill("Engines Ltd");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/orgs\/engines-ltd$/);

    await page
      .getByRole("navigation", { name: "Organization" })
      .getByRole("link", { name: "Routes" })
      .click();
    await page.waitForURL(/\/routes$/);
    const empty = page.getByTestId("routes-empty");
    await empty.getByText("No routes yet").waitFor();
    await expect(empty.textContent()).resolves.toContain("routes apply --org engines-ltd");
    const configRow = page.getByTestId("config-route-row").filter({ hasText: "house-default" });
    await expect(configRow.textContent()).resolves.toMatch(
      /house-default.*mock\/mock-gpt.*Enabled/,
    );
    await expect(
      configRow.getByRole("button", { name: "Edit house-default" }).count(),
    ).resolves.toBe(0);
    await screenshot(page, "routes-empty");

    // The form: name and two targets (suggestions come from the org's models).
    await page.getByRole("button", { name: "New route" }).first().click();
    const editor = page.getByTestId("route-editor");
    await editor.getByLabel("Name", { exact: true }).fill("smart");
    await editor.getByLabel("Target 1 model").fill("mock/mock-error-500");
    await editor.getByRole("button", { name: "Add target" }).click();
    // Saving with an empty target shows the problem next to it.
    await editor.getByRole("button", { name: "Create route" }).click();
    await editor
      .getByText(/Too small|at least 1/i)
      .first()
      .waitFor();
    await editor.getByLabel("Target 2 model").fill("mock/mock-gpt");
    await screenshot(page, "routes-editor-form");

    // Text mode carries the form over and validates as you type.
    await editor.getByRole("button", { name: "YAML / JSON" }).click();
    const text = editor.getByLabel("Route (YAML or JSON)");
    await expect(text.inputValue()).resolves.toContain("model: mock/mock-error-500");
    const check = editor.getByTestId("route-text-check");
    await check.getByText(/Valid route: fallback, 2 targets/).waitFor();
    await text.fill(ROUTE_YAML_BAD);
    await check.getByText(/line 3:\d+ strategy: /).waitFor();
    await screenshot(page, "routes-editor-yaml-error");
    await text.fill(
      ROUTE_YAML_BAD.replace("strategy: fastest", "strategy: fallback") +
        "retry:\n  attempts: 1\nbreaker:\n  failureThreshold: 1\n  cooldownMs: 600000\n",
    );
    await check.getByText(/Valid route: fallback, 3 targets/).waitFor();
    await editor.getByRole("button", { name: "Create route" }).click();
    await editor.waitFor({ state: "detached" });
    // Saved, with advice: the third target has no provider yet.
    await page.getByText("Saved route smart; worth a look:").waitFor();
    await page
      .getByText(/No provider of this organization offers "spare\/not-configured"/)
      .waitFor();

    const row = page.getByTestId("route-row").filter({ hasText: "smart" });
    await row.waitFor();
    const rowText = (await row.textContent()) ?? "";
    expect(rowText).toContain("mock/mock-error-500");
    expect(rowText).toContain("mock/mock-gpt");
    expect(rowText).toContain("Enabled");
    expect(rowText).toContain("v1");
    await screenshot(page, "routes-list");

    // An app calls the route through the gateway's own listener: the first target fails, which
    // opens its breaker (threshold 1), and the console's health card (another module copy, in
    // Next) shows the very breaker that traffic opened.
    const key = await createKey(dataDir, "engines-ltd");
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "smart",
        messages: [{ role: "user", content: "from an app" }],
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-switchyard-model")).toBe("mock-gpt");
    expect(response.headers.get("x-switchyard-attempts")).toBe("2");
    const failing = page
      .getByTestId("target-health")
      .getByTestId("breaker-target")
      .filter({ hasText: "mock/mock-error-500" });
    await page.waitForSelector('[data-testid="breaker-target"][data-state="open"]');
    await expect(failing.textContent()).resolves.toMatch(/open.*1 failure.*next probe in/);

    // Try it: the open target is skipped, the next one answers.
    await row.getByRole("button", { name: "Try smart" }).click();
    const tryForm = page.getByTestId("try-route-form");
    await expect(tryForm.getByLabel("Route").inputValue()).resolves.toBe("smart");
    await tryForm.getByLabel("Prompt").fill("ping from the console");
    await tryForm.getByRole("button", { name: "Send" }).click();
    const result = page.getByTestId("try-result");
    await result.getByTestId("try-answered-by").waitFor();
    await expect(result.getByTestId("try-answered-by").textContent()).resolves.toMatch(
      /Answered by\s*mock\/mock-gpt/,
    );
    await result.getByText("ping from the console").waitFor();
    // Every attempt, the target without a provider included (recorded, never called).
    const texts = await result.getByTestId("try-attempts").getByRole("listitem").allTextContents();
    expect(texts).toHaveLength(3);
    expect(texts.find((t) => t.includes("mock/mock-error-500"))).toMatch(
      /skipped \(breaker open\)/,
    );
    expect(texts.find((t) => t.includes("mock/mock-gpt"))).toMatch(/answered/);
    expect(texts.find((t) => t.includes("spare/not-configured"))).toMatch(
      /skipped \(no provider\)/,
    );
    await expect(result.textContent()).resolves.toMatch(/1 upstream call\b/);

    await expect(
      page
        .getByTestId("breaker-target")
        .filter({ hasText: "spare/not-configured" })
        .getAttribute("data-state"),
    ).resolves.toBe("unresolved");
    await screenshot(page, "routes-tried");

    // Editing shows the version and keeps what only the text mode edits.
    await row.getByRole("button", { name: "Edit smart" }).click();
    const edit = page.getByTestId("route-editor");
    await edit.getByText("Version 1 · saving makes version 2").waitFor();
    await expect(edit.getByTestId("route-target-row").count()).resolves.toBe(3);
    await edit.getByText(/Also set: retry, breaker/).waitFor();
    await edit.getByLabel("Strategy").selectOption("weighted");
    await edit.getByLabel("Target 2 weight").fill("3");
    // The model field keeps most of the row; the weight field is narrow.
    const modelBox = await edit.getByLabel("Target 2 model").boundingBox();
    const weightBox = await edit.getByLabel("Target 2 weight").boundingBox();
    expect(modelBox!.width).toBeGreaterThan(weightBox!.width * 3);
    await screenshot(page, "routes-editor-edit");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await edit.waitFor({ state: "detached" });
    await row.getByText("v2").waitFor();
    await expect(row.textContent()).resolves.toMatch(/weighted.*mock\/mock-gpt×3/);

    expect(consoleErrors.filter((e) => !/Download the React DevTools/.test(e))).toEqual([]);
  }, 900_000);
});
