import { describe, expect, it } from "vitest";
import { guessMimeType } from "~/providers/gemini/content-parts";
import { durationMs } from "~/providers/gemini/errors";
import { translateMessages } from "~/providers/gemini/messages";
import { cleanSchema } from "~/providers/gemini/schema";
import { SseParser } from "~/providers/gemini/sse-parser";
import { validatesThoughtSignatures } from "~/providers/gemini/thought-signatures";
import { ProviderError } from "~/providers/types";

// The pure translation pieces of the gemini adapter, case by case.

describe("gemini schema cleaning", () => {
  it("drops keys Gemini rejects and keeps the ones it knows", () => {
    expect(
      cleanSchema({
        $schema: "http://json-schema.org/draft-07/schema#",
        $id: "x",
        type: "object",
        title: "Query",
        strict: true,
        additionalProperties: false,
        properties: {
          q: { type: "string", minLength: 1, maxLength: 99, pattern: "^a", format: "email" },
          when: { type: "string", format: "date-time" },
          n: { type: "number", format: "double", exclusiveMinimum: 0, multipleOf: 2 },
        },
        required: ["q", "ghost"],
        propertyOrdering: ["q", "when", "n"],
      }),
    ).toEqual({
      type: "object",
      title: "Query",
      properties: {
        q: { type: "string", minLength: 1, maxLength: 99, pattern: "^a" },
        when: { type: "string", format: "date-time" },
        n: { type: "number", format: "double" },
      },
      required: ["q"],
      propertyOrdering: ["q", "when", "n"],
    });
  });

  it("inlines $ref, cutting recursion off with a bare object", () => {
    expect(
      cleanSchema({
        type: "object",
        properties: { root: { $ref: "#/definitions/node", description: "The root" } },
        definitions: {
          node: {
            type: "object",
            properties: {
              name: { type: "string" },
              children: { type: "array", items: { $ref: "#/definitions/node" } },
            },
          },
        },
      }),
    ).toEqual({
      type: "object",
      properties: {
        root: {
          type: "object",
          description: "The root",
          properties: {
            name: { type: "string" },
            children: { type: "array", items: { type: "object" } },
          },
        },
      },
    });
  });

  it("rewrites nullability, oneOf, allOf, const and non-string enums", () => {
    expect(cleanSchema({ type: ["integer", "null"] })).toEqual({ type: "integer", nullable: true });
    expect(cleanSchema({ type: ["string", "number"] })).toEqual({
      anyOf: [{ type: "string" }, { type: "number" }],
    });
    expect(cleanSchema({ oneOf: [{ type: "string" }, { type: "integer" }] })).toEqual({
      anyOf: [{ type: "string" }, { type: "integer" }],
    });
    expect(
      cleanSchema({
        allOf: [
          { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
          { properties: { b: { type: "boolean" } }, required: ["b"] },
        ],
      }),
    ).toEqual({
      type: "object",
      properties: { a: { type: "string" }, b: { type: "boolean" } },
      required: ["a", "b"],
    });
    expect(cleanSchema({ const: "fixed" })).toEqual({ type: "string", enum: ["fixed"] });
    expect(cleanSchema({ type: "integer", enum: [1, 2, 3], description: "Level." })).toEqual({
      type: "integer",
      description: "Level. Allowed values: 1, 2, 3.",
    });
  });

  it("gives arrays an item type and survives absurd nesting", () => {
    expect(cleanSchema({ type: "array" })).toEqual({ type: "array", items: { type: "string" } });
    let deep: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 200; i++) deep = { type: "object", properties: { x: deep } };
    const cleaned = JSON.stringify(cleanSchema(deep));
    expect(cleaned.length).toBeLessThan(JSON.stringify(deep).length);
  });
});

describe("gemini message translation", () => {
  const opts = { placeholderSignatures: false };

  it("merges consecutive turns and gathers every system message", () => {
    expect(
      translateMessages(
        [
          { role: "system", content: "Be brief." },
          { role: "user", content: "One" },
          { role: "user", content: [{ type: "text", text: "Two" }] },
          { role: "developer", content: "Use metric units." },
          { role: "assistant", content: [{ type: "refusal", refusal: "I can't." }] },
          { role: "assistant", content: "" },
          { role: "user", content: "" },
        ],
        opts,
      ),
    ).toEqual({
      systemInstruction: { parts: [{ text: "Be brief." }, { text: "Use metric units." }] },
      contents: [
        { role: "user", parts: [{ text: "One" }, { text: "Two" }] },
        { role: "model", parts: [{ text: "I can't." }] },
      ],
    });
  });

  it("passes audio and files as inline data", () => {
    const { contents } = translateMessages(
      [
        {
          role: "user",
          content: [
            { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
            {
              type: "file",
              file: { filename: "a.pdf", file_data: "data:application/pdf;base64,JVBERi0=" },
            },
          ],
        },
      ],
      opts,
    );
    expect(contents[0]!.parts).toEqual([
      { inlineData: { mimeType: "audio/wav", data: "UklGRg==" } },
      { inlineData: { mimeType: "application/pdf", data: "JVBERi0=" } },
    ]);
    expect(() =>
      translateMessages(
        [{ role: "user", content: [{ type: "file", file: { file_id: "file-abc" } }] }],
        opts,
      ),
    ).toThrow(ProviderError);
  });

  it("keeps broken tool arguments as text and answers legacy function messages by name", () => {
    const { contents } = translateMessages(
      [
        { role: "user", content: "Go" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "t1", type: "function", function: { name: "f", arguments: "{oops" } }],
        },
        { role: "tool", tool_call_id: "t1", content: "[1,2]" },
        { role: "function", name: "g", content: "done" },
      ],
      opts,
    );
    expect(contents.slice(1)).toEqual([
      { role: "model", parts: [{ functionCall: { name: "f", args: { arguments: "{oops" } } }] },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "f", response: { content: [1, 2] } } },
          { functionResponse: { name: "g", response: { content: "done" } } },
        ],
      },
    ]);
  });

  it("knows which models validate thought signatures", () => {
    expect(validatesThoughtSignatures("gemini-3-pro-preview")).toBe(true);
    expect(validatesThoughtSignatures("models/gemini-3-flash-preview")).toBe(true);
    expect(validatesThoughtSignatures("gemini-flash-latest")).toBe(true);
    expect(validatesThoughtSignatures("gemini-2.5-flash")).toBe(false);
    expect(validatesThoughtSignatures("gemma-3-27b-it")).toBe(false);
  });

  it("guesses image MIME types from the URL path", () => {
    expect(guessMimeType("https://x.test/a/b.PNG?v=1#frag")).toBe("image/png");
    expect(guessMimeType("https://x.test/doc.pdf")).toBe("application/pdf");
    expect(guessMimeType("https://x.test/image")).toBe("image/jpeg");
  });
});

describe("gemini SSE framing", () => {
  const bytes = (s: string) => new TextEncoder().encode(s);

  it("joins data lines, ignores comments and other fields, and accepts CR, LF and CRLF", () => {
    const parser = new SseParser();
    expect(
      parser.push(
        bytes(": keep-alive\r\nevent: message\r\ndata: a\r\ndata:b\r\n\r\ndata: c\r\rdata: d\n\n"),
      ),
    ).toEqual(["a\nb", "c", "d"]);
  });

  it("does not take a CRLF split across chunks for two line ends", () => {
    const parser = new SseParser();
    expect(parser.push(bytes("data: a\r"))).toEqual([]);
    expect(parser.push(bytes("\ndata: b\r\n\r"))).toEqual([]);
    expect(parser.push(bytes("\n"))).toEqual(["a\nb"]);
  });

  it("keeps multi-byte characters split across chunks whole", () => {
    const parser = new SseParser();
    const all = bytes('data: {"t":"18°C — ☀️"}\n\n');
    const out = Array.from(all, (b) => parser.push(new Uint8Array([b]))).flat();
    expect(out).toEqual(['{"t":"18°C — ☀️"}']);
  });

  it("delivers a last event that lacks its blank line at the end", () => {
    const parser = new SseParser();
    expect(parser.push(bytes("data: x"))).toEqual([]);
    expect(parser.end()).toEqual(["x"]);
  });

  it("refuses an event larger than its limit", () => {
    const parser = new SseParser(100);
    expect(() => parser.push(bytes(`data: ${"x".repeat(200)}`))).toThrow(ProviderError);
    const lines = new SseParser(100);
    expect(() => lines.push(bytes(`data: ${"y".repeat(60)}\ndata: ${"y".repeat(60)}\n`))).toThrow(
      /larger than 100/,
    );
  });
});

describe("gemini retry delays", () => {
  it("reads protobuf durations", () => {
    expect(durationMs("37s")).toBe(37_000);
    expect(durationMs("0.250s")).toBe(250);
    expect(durationMs("soon")).toBeNull();
    expect(durationMs(undefined)).toBeNull();
  });
});
