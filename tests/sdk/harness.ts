import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import {
  deriveKeyHashSecret,
  displayParts,
  generateApiKey,
  hashApiKey,
} from "~/lib/api-key-secret";
import { newId, randomBase62 } from "~/lib/ids";
import { TEST_ENCRYPTION_KEY } from "../http/server-process";

/**
 * Test harness for a real Switchyard process in front of the bench mock upstream
 * (`../shared/bench/mock-upstream.mjs`): starts mocks, and writes orgs, keys and org providers
 * through the server's own database socket (PGlite belongs to the server while it runs).
 */

export const MOCK_UPSTREAM_SCRIPT = path.resolve("..", "shared", "bench", "mock-upstream.mjs");

export interface MockUpstream {
  child: ChildProcess;
  /** `http://127.0.0.1:PORT/v1` */
  url: string;
  origin: string;
  stop(): Promise<void>;
  /** What the mock received (`GET /__mock/requests`), optionally only requests whose last user message contains `marker`. */
  requests(marker?: string): Promise<MockRecord[]>;
}

export interface MockRecord {
  path: string;
  model: string | null;
  stream: boolean;
  marker: string;
  status: number;
  outcome: string;
  requestId: string;
}

export async function startMockUpstream(
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<MockUpstream> {
  const child = spawn(process.execPath, [MOCK_UPSTREAM_SCRIPT, "--port", "0", ...args], {
    env: { ...process.env, MOCK_QUIET: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`mock upstream did not start: ${output}`));
    }, 15_000);
    child.stdout!.on("data", (d: Buffer) => {
      output += d.toString();
      const match = /mock-upstream listening on (http:\/\/\S+\/v1)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`mock upstream exited with ${code}: ${output}`));
    });
  });
  const origin = url.replace(/\/v1$/, "");
  return {
    child,
    url,
    origin,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3_000).unref();
      }),
    async requests(marker) {
      const res = await fetch(
        `${origin}/__mock/requests${marker ? `?marker=${encodeURIComponent(marker)}` : ""}`,
      );
      return ((await res.json()) as { data: MockRecord[] }).data;
    },
  };
}

export type Sql = ReturnType<typeof postgres>;

/** A connection to the running server's embedded database (through its socket). */
export function connectToServerDb(dataDir: string): Sql {
  const file = path.join(dataDir, "db-socket.json");
  if (!existsSync(file)) throw new Error(`no database socket recorded in ${file}`);
  const address = JSON.parse(readFileSync(file, "utf8")) as { host: string; port: number };
  return postgres({
    host: address.host,
    port: address.port,
    user: "postgres",
    database: "postgres",
    max: 1,
    prepare: false,
    onnotice: () => {},
  });
}

const hashSecret = deriveKeyHashSecret(TEST_ENCRYPTION_KEY);

export async function createOrg(sql: Sql): Promise<string> {
  const id = newId("org");
  await sql`insert into organizations (id, slug, name) values (${id}, ${id.toLowerCase().replace("_", "-")}, ${id})`;
  return id;
}

export async function createKey(sql: Sql, orgId: string, allowedModels: string[] | null = null) {
  const secret = generateApiKey();
  const id = newId("key");
  const { prefix, last4 } = displayParts(secret);
  await sql`
    insert into api_keys (id, org_id, name, prefix, last4, hash, created_by_label, allowed_models)
    values (${id}, ${orgId}, 'sdk test', ${prefix}, ${last4}, ${hashApiKey(secret, hashSecret)}, 'test', ${allowedModels})`;
  return { id, secret };
}

/** An org's own keyless OpenAI-compatible provider (e.g. a second, slow mock upstream). */
export async function createOrgProvider(
  sql: Sql,
  orgId: string,
  values: { name: string; baseUrl: string; models: string[]; timeouts?: Record<string, number> },
): Promise<void> {
  await sql`
    insert into org_providers (id, org_id, name, type, base_url, models, timeouts)
    values (${`prv_${randomBase62(20)}`}, ${orgId}, ${values.name}, 'openai-compatible', ${values.baseUrl},
            ${values.models}, ${sql.json(values.timeouts ?? {})})`;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value or the time is up. */
export async function eventually<T>(
  fn: () => Promise<T | null | undefined | false>,
  ms = 10_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > until) throw new Error("condition not met in time");
    await sleep(100);
  }
}
