import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";

/** A real Switchyard server process (`src/server/main.ts`), started on a free port. */
export interface ServerProcess {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export const TEST_ENCRYPTION_KEY = "aHR0cC10ZXN0LWVuY3J5cHRpb24ta2V5LTAxMjM0NTY3ODlhYg";

/** A fresh data directory under tests/output (PGlite, socket file, secrets). */
export function freshDataDir(name: string): string {
  const dir = path.join(
    "tests",
    "output",
    `${name}-${Date.now()}-${randomBytes(3).toString("hex")}`,
  );
  mkdirSync(dir, { recursive: true });
  return dir;
}

export class ServerStartError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(`${message}\n--- server output ---\n${output}`);
  }
}

export async function startServer(options: {
  dataDir: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "development",
    PORT: "0",
    HOST: "127.0.0.1",
    SWITCHYARD_DATA_DIR: options.dataDir,
    SWITCHYARD_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    AUTH_SECRET: "http-test-auth-secret-0123456789abcdef0123456789",
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    // Tests choose their upstreams; the built-in mock provider only where a test turns it on.
    SWITCHYARD_ENABLE_MOCK_PROVIDER: "0",
    ...options.env,
  };
  // The embedded database unless the test gives a server its own PostgreSQL.
  if (options.env?.DATABASE_URL === undefined) delete env.DATABASE_URL;
  // One node process (tsx as a loader, like `npm run dev` without the wrapper) so signals and exit codes are the server's own.
  const child = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts", "--dev"], {
    cwd: process.cwd(),
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new ServerStartError("server did not become ready in time", output));
    }, options.timeoutMs ?? 90_000);
    const onData = () => {
      const match = /SWITCHYARD_READY port=(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new ServerStartError(`server exited with code ${code} before it was ready`, output));
    });
  });

  return {
    child,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
    stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
