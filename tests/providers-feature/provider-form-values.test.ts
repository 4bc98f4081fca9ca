import { describe, expect, it } from "vitest";
import { splitModelIds } from "~/features/providers/components/model-chips";
import {
  mergeModels,
  optionsForType,
  parseHeaderLines,
  parseTimeouts,
  sameOptions,
} from "~/features/providers/components/provider-form-values";
import {
  DEFAULT_BASE_URLS,
  orderedTypes,
  presetForUrl,
  TYPE_LABELS,
} from "~/features/providers/components/provider-presets";

describe("provider form values", () => {
  it("parses header lines and points at the bad one", () => {
    expect(
      parseHeaderLines("X-Title: switchyard\n\n HTTP-Referer: https://a.example/x:y "),
    ).toEqual({
      ok: true,
      headers: { "X-Title": "switchyard", "HTTP-Referer": "https://a.example/x:y" },
    });
    expect(parseHeaderLines("X-A: 1\nno colon here")).toEqual({
      ok: false,
      error: 'Line 2: write headers as "Name: value".',
    });
    expect(parseHeaderLines(Array.from({ length: 21 }, (_, i) => `X-${i}: v`).join("\n")).ok).toBe(
      false,
    );
  });

  it("parses timeouts (empty = default) and refuses nonsense", () => {
    expect(
      parseTimeouts({ connectMs: " 2500 ", firstByteMs: "", idleMs: "", totalMs: "60000" }),
    ).toEqual({
      ok: true,
      timeouts: { connectMs: 2500, totalMs: 60_000 },
    });
    expect(parseTimeouts({ connectMs: "2.5", firstByteMs: "", idleMs: "", totalMs: "" }).ok).toBe(
      false,
    );
    expect(parseTimeouts({ connectMs: "", firstByteMs: "50", idleMs: "", totalMs: "" }).ok).toBe(
      false,
    );
  });

  it("merges discovered models after the current ones, without duplicates, capped at 500", () => {
    expect(mergeModels(["b", "a"], ["a", "c", "b", "d"])).toEqual(["b", "a", "c", "d"]);
    const many = Array.from({ length: 600 }, (_, i) => `m${i}`);
    expect(mergeModels(["x"], many)).toHaveLength(500);
  });

  it("splits pasted model lists and recognises preset URLs", () => {
    expect(splitModelIds("gpt-4o, gpt-4o-mini\nllama3.2  ,")).toEqual([
      "gpt-4o",
      "gpt-4o-mini",
      "llama3.2",
    ]);
    expect(presetForUrl("https://api.groq.com/openai/v1/")?.name).toBe("groq");
    expect(presetForUrl("https://api.groq.com/v2")).toBeUndefined();
  });

  it("reads the API version of azure-openai only, validated (v1 or YYYY-MM-DD[-preview])", () => {
    expect(optionsForType("azure-openai", { apiVersion: " 2024-10-21 " })).toEqual({
      ok: true,
      options: { apiVersion: "2024-10-21" },
    });
    for (const ok of ["v1", "2025-04-01-preview", ""]) {
      expect(optionsForType("azure-openai", { apiVersion: ok }).ok).toBe(true);
    }
    for (const bad of ["2024-10", "preview", "v2", "2024-10-21-alpha", "2024/10/21"]) {
      expect(optionsForType("azure-openai", { apiVersion: bad })).toMatchObject({ ok: false });
    }
    // An API version typed before switching to another type is not sent.
    expect(optionsForType("openai", { apiVersion: "garbage" })).toEqual({ ok: true, options: {} });
    expect(optionsForType("azure-openai", {})).toEqual({ ok: true, options: {} });
    expect(sameOptions({ a: "1", b: "2" }, { b: "2", a: "1" })).toBe(true);
    expect(sameOptions({ a: "1" }, {})).toBe(false);
  });

  it("labels the new provider types and orders the type picker", () => {
    expect(TYPE_LABELS).toMatchObject({
      anthropic: "Anthropic",
      gemini: "Google Gemini",
      "azure-openai": "Azure OpenAI",
    });
    expect(DEFAULT_BASE_URLS.anthropic).toBe("https://api.anthropic.com/v1");
    expect(DEFAULT_BASE_URLS.gemini).toBe("https://generativelanguage.googleapis.com/v1beta");
    expect(DEFAULT_BASE_URLS["azure-openai"]).toBeUndefined();
    expect(
      orderedTypes(["mock", "azure-openai", "bedrock", "openai", "gemini", "openai-compatible"]),
    ).toEqual(["openai", "openai-compatible", "gemini", "azure-openai", "mock", "bedrock"]);
  });
});
