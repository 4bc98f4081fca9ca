import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSwitchyardConfig } from "~/server/config/load-config";

/** The examples in docs/config.md are real configs: each one must load. */

const TYPES = ["openai", "openai-compatible", "anthropic", "gemini", "azure-openai", "mock"];
const doc = readFileSync("docs/config.md", "utf8");
const blocks = [...doc.matchAll(/```(yaml|json)\n([\s\S]*?)```/g)].map((m) => ({
  format: m[1]!,
  text: m[2]!,
}));
/** Every variable the examples reference, set. */
const env = new Proxy({} as Record<string, string>, {
  get: (_t, name) => `value-of-${String(name)}`,
});

describe("docs/config.md examples", () => {
  it("has the examples this test expects (two YAML, one JSON)", () => {
    expect(blocks.map((b) => b.format)).toEqual(["yaml", "yaml", "json"]);
  });

  it.each(blocks.map((b, i) => [i, b] as const))("example %i loads", (_i, block) => {
    const file = block.format === "json" ? "switchyard.json" : "switchyard.yaml";
    const config = parseSwitchyardConfig(block.text, file, env, { providerTypes: TYPES });
    expect(config.providers.length + config.routes.length).toBeGreaterThan(0);
  });

  it("the first example declares what the reference table describes", () => {
    const config = parseSwitchyardConfig(blocks[0]!.text, "switchyard.yaml", env, {
      providerTypes: TYPES,
    });
    expect(config.providers.map((p) => [p.id, p.apiKey, p.models])).toEqual([
      ["primary", "value-of-PRIMARY_KEY", ["gpt-4o-mini"]],
    ]);
    expect(config.routes.map((r) => r.name)).toEqual(["resilient"]);
  });
});

describe("README's config example", () => {
  const readme = readFileSync("README.md", "utf8");
  const yaml = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it("loads, with the providers and route it shows", () => {
    expect(yaml).toHaveLength(1);
    const config = parseSwitchyardConfig(yaml[0]!, "switchyard.yaml", env, { providerTypes: TYPES });
    expect(config.providers.map((p) => [p.id, p.type])).toEqual([
      ["primary", "openai-compatible"],
      ["backup", "anthropic"],
    ]);
    expect(config.routes.map((r) => [r.name, r.strategy, r.targets.length])).toEqual([["resilient", "fallback", 2]]);
  });
});
