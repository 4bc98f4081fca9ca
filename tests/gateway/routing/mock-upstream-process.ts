import { spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

/** The shared bench's OpenAI mock (`../shared/bench/mock-upstream.mjs`) as a child process. */
export interface MockUpstreamProcess {
  /** `http://127.0.0.1:PORT/v1` */
  baseURL: string;
  /** What the mock received whose last user message contains `marker`. */
  requests(marker: string): Promise<{ model: string | null; stream: boolean; outcome: string }[]>;
  stop(): Promise<void>;
}

const SCRIPT = path.resolve(process.cwd(), "../shared/bench/mock-upstream.mjs");

export function startMockUpstream(
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<MockUpstreamProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, MOCK_PORT: "0", MOCK_QUIET: "1", ...env },
    });
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`mock upstream did not start:\n${output}`));
    }, 20_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`mock upstream exited with ${code}:\n${output}`));
    };
    child.once("exit", onExit);
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /mock-upstream listening on (http:\/\/\S+\/v1)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.off("exit", onExit);
      const baseURL = match[1]!;
      const origin = new URL(baseURL).origin;
      resolve({
        baseURL,
        async requests(marker) {
          const res = await fetch(`${origin}/__mock/requests?marker=${encodeURIComponent(marker)}`);
          return (
            (await res.json()) as {
              data: { model: string | null; stream: boolean; outcome: string }[];
            }
          ).data;
        },
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

/** A local port nothing listens on (an upstream that is down). */
export function stoppedUpstreamURL(): Promise<string> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(`http://127.0.0.1:${port}/v1`));
    });
  });
}
