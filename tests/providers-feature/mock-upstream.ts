import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/** The shared bench's OpenAI mock, started as a child process for one test file. */
export interface MockUpstream {
  /** `http://127.0.0.1:PORT/v1` */
  baseUrl: string;
  stop(): Promise<void>;
}

const SCRIPT = path.resolve(process.cwd(), "../shared/bench/mock-upstream.mjs");

export function startMockUpstream(env: Record<string, string> = {}): Promise<MockUpstream> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [SCRIPT], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, MOCK_PORT: "0", MOCK_QUIET: "1", ...env },
    });
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`mock upstream did not start:\n${output}`));
    }, 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /mock-upstream listening on (http:\/\/\S+\/v1)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        baseUrl: match[1]!,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`mock upstream exited with ${code}:\n${output}`));
    });
  });
}
