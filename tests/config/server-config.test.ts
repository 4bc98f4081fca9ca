import { readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDataDir, startServer, type ServerProcess } from "../http/server-process";
import {
  connectToServerDb,
  createKey,
  createOrg,
  eventually,
  startMockUpstream,
  type MockUpstream,
  type Sql,
} from "../sdk/harness";

/**
 * SWITCHYARD_CONFIG in a real server process: a bad file stops start-up with the readable list
 * of problems; a good one's providers answer on /v1 (the bench mock upstream behind them), and
 * SIGHUP reloads it, keeping the last good config when the new file is bad.
 */

const UPSTREAM_KEY = "sk-config-upstream-key";

describe("start-up with a bad config file", () => {
  const dataDir = freshDataDir("config-bad");
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("exits with code 1, printing every problem with its line (no stack trace)", async () => {
    const file = path.join(dataDir, "switchyard.yaml");
    writeFileSync(
      file,
      `providers:
  - id: primary
    type: openai-compatibel
    baseURL: http://127.0.0.1:9/v1
    apiKey: \${SWITCHYARD_TEST_UNSET_KEY}
routes:
  - name: resilient
    strategy: fallback
    targets: []
`,
    );
    const attempt = startServer({
      dataDir,
      env: { SWITCHYARD_SERVE_CONSOLE: "0", SWITCHYARD_CONFIG: file },
    });
    const error = await attempt.then(
      () => null,
      (err: Error & { output?: string }) => err,
    );
    expect(error).not.toBeNull();
    expect(error!.message).toMatch(/server exited with code 1 before it was ready/);
    const output = error!.message;
    expect(output).toContain(
      [
        `Switchyard failed to start: Invalid Switchyard config ${file} (3 problems):`,
        `${file}:3:11: providers.0.type: unknown provider type "openai-compatibel" (known: `,
      ].join("\n"),
    );
    expect(output).toContain(
      `${file}:5:13: providers.0.apiKey: environment variable SWITCHYARD_TEST_UNSET_KEY is not set`,
    );
    expect(output).toContain(
      `${file}:9:14: routes.0.targets: Too small: expected array to have >=1 items`,
    );
    expect(output).not.toMatch(/^\s+at /m);
    // It stopped before opening (and creating) the embedded database.
    expect(readdirSync(dataDir)).toEqual(["switchyard.yaml"]);
  });
});

describe("start-up with a good config file", () => {
  const dataDir = freshDataDir("config-good");
  const file = path.join(dataDir, "switchyard.yaml");
  let mock: MockUpstream;
  let server: ServerProcess;
  let sql: Sql;
  let secret: string;

  const config = (staticModels: string[]) => `providers:
  - id: primary                 # static list
    type: openai-compatible
    baseURL: \${SWITCHYARD_TEST_UPSTREAM}
    apiKey: \${SWITCHYARD_TEST_PRIMARY_KEY}
    models: [${staticModels.join(", ")}]
  - id: discovered              # no models: listed from the upstream
    type: openai-compatible
    baseURL: \${SWITCHYARD_TEST_UPSTREAM}
    apiKey: \${SWITCHYARD_TEST_PRIMARY_KEY}
routes:
  - name: resilient
    strategy: fallback
    targets: [{ model: primary/gpt-4o-mini }, { model: discovered/gpt-4o-mini }]
`;

  const modelIds = async (): Promise<string[]> => {
    const res = await fetch(`${server.baseUrl}/v1/models`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: { id: string }[] }).data.map((m) => m.id);
  };

  beforeAll(async () => {
    mock = await startMockUpstream([], { MOCK_API_KEY: UPSTREAM_KEY });
    writeFileSync(file, config(["gpt-4o-mini"]));
    server = await startServer({
      dataDir,
      env: {
        SWITCHYARD_SERVE_CONSOLE: "0",
        SWITCHYARD_CONFIG: file,
        SWITCHYARD_TEST_UPSTREAM: mock.url,
        SWITCHYARD_TEST_PRIMARY_KEY: UPSTREAM_KEY,
        // Org providers may not call 127.0.0.1 here; config providers are the operator's own.
        SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS: "0",
        // Shown only when start-up fails: says how far it got.
        LOG_LEVEL: "info",
      },
    });
    sql = connectToServerDb(dataDir);
    ({ secret } = await createKey(sql, await createOrg(sql)));
  }, 180_000);

  afterAll(async () => {
    await sql?.end({ timeout: 1 });
    if (server && server.child.exitCode === null) await server.stop("SIGTERM");
    await mock?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("lists the config providers' models in GET /v1/models (configured and discovered)", async () => {
    const ids = await modelIds();
    expect(ids).toContain("primary/gpt-4o-mini");
    expect(ids).not.toContain("primary/gpt-4o");
    // Discovered from the mock's /models with the configured key.
    expect(ids).toEqual(
      expect.arrayContaining(["discovered/gpt-4o", "discovered/text-embedding-3-small"]),
    );
  });

  it("calls the upstream through a config provider with its interpolated API key", async () => {
    const res = await fetch(`${server.baseUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "primary/gpt-4o-mini",
        messages: [{ role: "user", content: "hello from the config file" }],
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { object: string; choices: unknown[] };
    expect(body.object).toBe("chat.completion");
    expect(body.choices.length).toBeGreaterThan(0);
  });

  it("SIGHUP keeps the last good config on a bad file, then applies a good one", async () => {
    writeFileSync(file, "providers:\n  - id: primary\n    tpye: openai\n");
    server.child.kill("SIGHUP");
    await eventually(async () => server.output().includes("config reload failed"));
    expect(server.output()).toContain(
      `${file}:3:5: providers.0.tpye: unknown key (not part of the config schema)`,
    );
    expect(server.child.exitCode).toBeNull();
    expect(await modelIds()).toContain("primary/gpt-4o-mini");

    writeFileSync(file, config(["gpt-4o-mini", "gpt-4o"]));
    server.child.kill("SIGHUP");
    const ids = await eventually(async () => {
      const list = await modelIds();
      return list.includes("primary/gpt-4o") ? list : null;
    });
    expect(ids).toContain("primary/gpt-4o-mini");
    expect(ids).toContain("discovered/gpt-4o");
  });
});
