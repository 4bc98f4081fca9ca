import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "~/server/config/config-error";
import { loadSwitchyardConfig, parseSwitchyardConfig } from "~/server/config/load-config";

/** Every adapter type the spec names (the real caller passes the registry's list). */
const TYPES = ["openai", "openai-compatible", "anthropic", "gemini", "azure-openai", "mock"];
const options = { providerTypes: TYPES };

const dir = mkdtempSync(path.join(tmpdir(), "switchyard-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The problem lines of the ConfigError that parsing `text` throws (fails the test if none). */
function problems(text: string, env: Record<string, string> = {}, file = "switchyard.yaml") {
  try {
    parseSwitchyardConfig(text, file, env, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const lines = (err as ConfigError).message.split("\n");
    expect(lines[0]).toMatch(
      new RegExp(`^Invalid Switchyard config ${file} \\(\\d+ problems?\\):$`),
    );
    return lines.slice(1);
  }
  throw new Error("expected a ConfigError");
}

/** The configuration example of docs/config.md, exactly as written there. */
const SPEC_EXAMPLE = `providers:
  - id: primary                 # name clients use in provider/model; unique; not "mock"
    type: openai-compatible     # a registered adapter type: openai, openai-compatible, anthropic, gemini, azure-openai, mock
    baseURL: http://127.0.0.1:18080/v1
    apiKey: \${PRIMARY_KEY}      # optional
    headers: {}                 # optional
    options: { apiVersion: "2024-10-21" }  # optional adapter settings
    models: [gpt-4o-mini]       # optional: omitted → discovered from the upstream
    timeouts: { connectMs, firstByteMs, idleMs, totalMs }   # optional
routes:
  - name: resilient             # routeDefinitionSchema
    strategy: fallback
    targets: [{ model: primary/gpt-4o-mini }, { model: backup/gpt-4o-mini }]
`;

describe("valid files", () => {
  it("loads the spec's example, with a warning for the undeclared provider of a route target", () => {
    const config = loadSwitchyardConfig(
      writeConfig("switchyard.yaml", SPEC_EXAMPLE),
      { PRIMARY_KEY: "sk-primary" },
      options,
    );
    expect(config.providers).toEqual([
      {
        id: "primary",
        type: "openai-compatible",
        baseURL: "http://127.0.0.1:18080/v1",
        apiKey: "sk-primary",
        headers: {},
        options: { apiVersion: "2024-10-21" },
        models: ["gpt-4o-mini"],
        timeouts: {},
      },
    ]);
    expect(config.routes).toHaveLength(1);
    expect(config.routes[0]).toMatchObject({
      name: "resilient",
      strategy: "fallback",
      targets: [{ model: "primary/gpt-4o-mini" }, { model: "backup/gpt-4o-mini" }],
    });
    expect(config.warnings).toEqual([
      `${path.join(dir, "switchyard.yaml")}:13:56: routes.0.targets.1.model: provider "backup" is not declared in this file nor built in; this target only works for orgs that have a provider of that name`,
    ]);
  });

  it("does not warn about targets on providers the caller knows (env, built-in)", () => {
    const config = parseSwitchyardConfig(
      SPEC_EXAMPLE,
      "switchyard.yaml",
      { PRIMARY_KEY: "k" },
      {
        providerTypes: TYPES,
        knownProviderIds: ["backup", "mock"],
      },
    );
    expect(config.warnings).toEqual([]);
  });

  it("loads the same config written as JSON (by extension), with route defaults applied", () => {
    const json = {
      providers: [
        {
          id: "primary",
          type: "openai-compatible",
          baseURL: "http://127.0.0.1:18080/v1/",
          apiKey: "${PRIMARY_KEY}",
          timeouts: { firstByteMs: 5000 },
        },
      ],
      routes: [{ name: "resilient", targets: [{ model: "primary/gpt-4o-mini", weight: 2 }] }],
    };
    const config = loadSwitchyardConfig(
      writeConfig("switchyard.json", JSON.stringify(json, null, "\t")),
      { PRIMARY_KEY: "sk-json" },
      options,
    );
    expect(config.providers[0]).toMatchObject({
      id: "primary",
      baseURL: "http://127.0.0.1:18080/v1", // trailing slash dropped
      apiKey: "sk-json",
      timeouts: { firstByteMs: 5000 },
    });
    // No `models`: the list is discovered from the upstream.
    expect(config.providers[0]!.models).toBeUndefined();
    expect(config.routes[0]).toMatchObject({ strategy: "fallback", targets: [{ weight: 2 }] });
    expect(config.warnings).toEqual([]);
  });

  it("detects JSON by content when the file has no telling extension", () => {
    const file = writeConfig(
      "switchyard.conf",
      '{ "routes": [{ "name": "r", "targets": [{ "model": "gpt-4o" }] }] }',
    );
    expect(loadSwitchyardConfig(file, {}, options).routes[0]!.name).toBe("r");
  });

  it("reads an empty file as an empty config", () => {
    const config = loadSwitchyardConfig(writeConfig("empty.yaml", "# nothing yet\n"), {}, options);
    expect(config).toMatchObject({ providers: [], routes: [], warnings: [] });
  });
});

describe("environment interpolation", () => {
  const withKey = (value: string) => `providers:
  - id: p
    type: openai
    baseURL: https://api.example.com/v1
    apiKey: ${value}
    headers:
      x-team: "team \${TEAM:-platform}"
`;
  const load = (text: string, env: Record<string, string>) =>
    parseSwitchyardConfig(text, "switchyard.yaml", env, options).providers[0]!;

  it("substitutes ${VAR} after parsing, so YAML-special characters in a secret stay one string", () => {
    const secret = "sk-a:#b'c\"d{e}[f],g&h*i!j|k>l%m@n`o";
    const p = load(withKey("${KEY}"), { KEY: secret });
    expect(p.apiKey).toBe(secret);
    expect(p.headers).toEqual({ "x-team": "team platform" });
  });

  it("uses ${VAR:-default} when the variable is unset or empty, the variable otherwise", () => {
    expect(load(withKey("${KEY:-sk-default}"), {}).apiKey).toBe("sk-default");
    expect(load(withKey("${KEY:-sk-default}"), { KEY: "" }).apiKey).toBe("sk-default");
    expect(load(withKey("${KEY:-sk-default}"), { KEY: "sk-set" }).apiKey).toBe("sk-set");
    expect(load(withKey("${KEY:-sk:with:colons}"), {}).apiKey).toBe("sk:with:colons");
    expect(load(withKey("sk-1"), { TEAM: "ml" }).headers).toEqual({ "x-team": "team ml" });
  });

  it("an empty default means no key (a keyless upstream)", () => {
    expect(load(withKey("${KEY:-}"), {}).apiKey).toBeUndefined();
  });

  it("$${X} is a literal ${X}", () => {
    expect(load(withKey("sk-$${NOT_A_VAR}"), {}).apiKey).toBe("sk-${NOT_A_VAR}");
    expect(load(withKey("sk-$$-double"), {}).apiKey).toBe("sk-$$-double");
  });

  it("a missing variable without default is an error naming it and its line", () => {
    expect(problems(withKey("${PRIMARY_KEY}"))).toEqual([
      "switchyard.yaml:5:13: providers.0.apiKey: environment variable PRIMARY_KEY is not set (write ${PRIMARY_KEY:-default} to give it a default)",
    ]);
  });

  it("reports every missing variable, and malformed references", () => {
    const text = `providers:
  - id: p
    type: openai
    baseURL: \${BASE_URL}
    apiKey: "\${1BAD}"
`;
    expect(problems(text)).toEqual([
      "switchyard.yaml:4:14: providers.0.baseURL: environment variable BASE_URL is not set (write ${BASE_URL:-default} to give it a default)",
      'switchyard.yaml:5:13: providers.0.apiKey: "${1BAD}" is not a valid reference: use ${NAME} or ${NAME:-default} (write $${...} for a literal "${")',
    ]);
  });

  it("never interpolates keys, only values", () => {
    const text = `routes:
  - name: r
    targets:
      - model: gpt-4o
        params: { "\${X}": "\${X:-1}" }
`;
    const config = parseSwitchyardConfig(text, "switchyard.yaml", {}, options);
    expect(config.routes[0]!.targets[0]!.params).toEqual({ "${X}": "1" });
  });
});

describe("errors with line:col", () => {
  it("unknown keys are errors at the key, at any depth", () => {
    const text = `providers:
  - id: p
    type: openai
    baseUrl: https://api.example.com/v1
routes:
  - name: r
    targets:
      - model: p/gpt-4o
        wieght: 2
version: 1
`;
    expect(problems(text)).toEqual([
      "switchyard.yaml:2:5: providers.0.baseURL: required (expected string)",
      "switchyard.yaml:4:5: providers.0.baseUrl: unknown key (not part of the config schema)",
      "switchyard.yaml:9:9: routes.0.targets.0.wieght: unknown key (not part of the config schema)",
      "switchyard.yaml:10:1: version: unknown key (not part of the config schema)",
    ]);
  });

  it("wrong types, an unknown provider type and a reserved id", () => {
    const text = `providers:
  - id: mock
    type: openia
    baseURL: https://api.example.com/v1
    models: gpt-4o
    timeouts:
      totalMs: "5000"
`;
    expect(problems(text)).toEqual([
      'switchyard.yaml:2:9: providers.0.id: "mock" is the built-in mock provider; choose another id',
      'switchyard.yaml:3:11: providers.0.type: unknown provider type "openia" (known: openai, openai-compatible, anthropic, gemini, azure-openai, mock)',
      "switchyard.yaml:5:13: providers.0.models: Invalid input: expected array, received string",
      "switchyard.yaml:7:16: providers.0.timeouts.totalMs: Invalid input: expected number, received string",
    ]);
  });

  it("a bad strategy and empty targets", () => {
    const text = `routes:
  - name: fast
    strategy: random
    targets: []
`;
    expect(problems(text)).toEqual([
      'switchyard.yaml:3:15: routes.0.strategy: Invalid option: expected one of "fallback"|"weighted"|"least-latency"|"lowest-cost"|"cascade"',
      "switchyard.yaml:4:14: routes.0.targets: Too small: expected array to have >=1 items",
    ]);
  });

  it("duplicate provider ids and route names, at the second occurrence", () => {
    const text = `providers:
  - id: groq
    type: openai-compatible
    baseURL: https://api.groq.com/openai/v1
  - id: groq
    type: openai-compatible
    baseURL: https://api.groq.com/openai/v1
routes:
  - name: chat
    targets: [{ model: groq/llama-3.1-8b-instant }]
  - name: chat
    targets: [{ model: groq/llama-3.1-70b-versatile }]
`;
    expect(problems(text)).toEqual([
      'switchyard.yaml:5:9: providers.1.id: duplicate provider id "groq" (already used by providers.0)',
      'switchyard.yaml:11:11: routes.1.name: duplicate route name "chat" (already used by routes.0)',
    ]);
  });

  it("reports every problem at once, in file order, together with duplicates", () => {
    const text = `routes:
  - name: a
    strategy: nope
    targets: [{ model: x }]
  - name: a
    targets: []
`;
    expect(problems(text)).toEqual([
      'switchyard.yaml:3:15: routes.0.strategy: Invalid option: expected one of "fallback"|"weighted"|"least-latency"|"lowest-cost"|"cascade"',
      'switchyard.yaml:5:11: routes.1.name: duplicate route name "a" (already used by routes.0)',
      "switchyard.yaml:6:14: routes.1.targets: Too small: expected array to have >=1 items",
    ]);
  });

  it("YAML syntax errors and duplicate keys carry their position", () => {
    expect(problems("providers: [\n  1,\n")).toEqual([
      "switchyard.yaml:3:1: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ]);
    expect(problems("routes: []\nroutes: []\n")).toEqual([
      "switchyard.yaml:2:1: Map keys must be unique",
    ]);
  });

  it("a document that is not a mapping", () => {
    expect(problems("- providers\n- routes\n")).toEqual([
      'switchyard.yaml:1:1: Invalid input: expected object, received array: the file must be a mapping with "providers" and/or "routes"',
    ]);
  });

  it("JSON files get line numbers too: schema errors, syntax errors, duplicate keys", () => {
    const json = `{
  "providers": [
    {
      "id": "p",
      "type": "openai",
      "baseURL": "https://api.example.com/v1",
      "apikey": "sk-1"
    }
  ],
  "routes": [{ "name": "r", "strategy": "fastest", "targets": [{ "model": "p/gpt-4o" }] }]
}
`;
    expect(problems(json, {}, "switchyard.json")).toEqual([
      "switchyard.json:7:7: providers.0.apikey: unknown key (not part of the config schema)",
      'switchyard.json:10:41: routes.0.strategy: Invalid option: expected one of "fallback"|"weighted"|"least-latency"|"lowest-cost"|"cascade"',
    ]);
    expect(problems('{\n  "routes": [],\n}\n', {}, "switchyard.json")).toEqual([
      "switchyard.json:3:1: Expected double-quoted property name",
    ]);
    expect(problems('{\n  "routes": [],\n  "routes": []\n}\n', {}, "switchyard.json")).toEqual([
      "switchyard.json:3:3: Map keys must be unique",
    ]);
  });

  it("an unreadable file is a ConfigError naming it", () => {
    const missing = path.join(dir, "nope.yaml");
    expect(() => loadSwitchyardConfig(missing, {}, options)).toThrow(
      `Invalid Switchyard config ${missing} (1 problem):\n${missing}: no such file (SWITCHYARD_CONFIG names a file that does not exist)`,
    );
  });
});
