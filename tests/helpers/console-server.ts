import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { Page } from "playwright-core";

/**
 * The real one-process dev server (`tsx src/server/main.ts --dev`: Next.js console + gateway) for
 * browser tests, in its own process group so the whole npx → tsx → node chain (and the embedded
 * database process under it) stops together.
 */

export const CHROMIUM = "/usr/bin/chromium";
export const SCREENSHOTS = path.resolve("tests/output/screenshots");
/** Only one `next dev` may own a dist dir at a time; another test run may hold it briefly. */
const START_BUDGET_MS = 6 * 60_000;

export interface ConsoleServer {
  child: ChildProcess;
  port: number;
  /** Everything the server printed so far. */
  log(): string;
}

export interface ConsoleServerOptions {
  dataDir: string;
  /** Next dist dir of its own: one Next dev server per dist dir, and other suites run one too. */
  distDir: string;
  env?: Record<string, string>;
}

function startOnce(options: ConsoleServerOptions): Promise<ConsoleServer> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "development",
      PORT: "0",
      SWITCHYARD_DATA_DIR: options.dataDir,
      SWITCHYARD_PUBLIC_URL: "",
      SWITCHYARD_NEXT_DIST_DIR: options.distDir,
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
      ...options.env,
    };
    delete env.DATABASE_URL;
    const child = spawn("npx", ["tsx", "src/server/main.ts", "--dev"], {
      cwd: process.cwd(),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env,
    });
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /SWITCHYARD_READY port=(\d+)/.exec(output);
      if (match) resolve({ child, port: Number(match[1]), log: () => output });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) =>
      reject(Object.assign(new Error(`server exited with code ${code}`), { output })),
    );
  });
}

/** Starts the dev server; waits and retries while another `next dev` holds the dist dir. */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const started = Date.now();
  for (;;) {
    try {
      return await startOnce(options);
    } catch (err) {
      const output = (err as { output?: string }).output ?? "";
      const locked = /already running/i.test(output);
      if (!locked || Date.now() - started > START_BUDGET_MS) {
        throw new Error(`Switchyard did not start:\n${output.slice(-4000)}`);
      }
      await new Promise((r) => setTimeout(r, 10_000));
    }
  }
}

/** SIGTERM to the process group, SIGKILL after 15 s. */
export async function stopConsoleServer(server: ConsoleServer | undefined): Promise<void> {
  if (!server?.child.pid || server.child.exitCode !== null) return;
  const exited = new Promise<void>((r) => server.child.once("exit", () => r()));
  try {
    process.kill(-server.child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-server.child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }, 15_000);
  await exited;
  clearTimeout(timer);
}

/**
 * A full-page screenshot to tests/output/screenshots/<name>.png once client-side data settled.
 * Resolves with why the page is wider than the window (a layout bug: only tables may scroll
 * sideways), or null when it is not.
 */
export async function screenshot(page: Page, name: string): Promise<string | null> {
  await page.waitForLoadState("networkidle", { timeout: 30_000 }).catch(() => {});
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const culprits = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 80)}`);
    return `${document.documentElement.scrollWidth}px > ${width}px: ${culprits.join(" | ")}`;
  });
  await page.screenshot({
    path: path.join(SCREENSHOTS, `${name}.png`),
    fullPage: true,
    animations: "disabled",
    // The Next dev-mode indicator is not part of the product.
    style: "nextjs-portal { display: none !important; }",
  });
  return overflow === null ? null : `${name}: ${overflow}`;
}
