import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { geminiAdapter } from "~/providers/gemini";
import { translateStream } from "~/providers/gemini/stream";
import { closeUpstreamPools } from "~/providers/http/upstream-pools";
import {
  DEFAULT_TIMEOUTS,
  ProviderError,
  type JsonObject,
  type ProviderConfig,
} from "~/providers/types";
import { fixtureReader, startFixtureServer } from "./fixture-server";

// Gemini `streamGenerateContent?alt=sse` transcripts (tests/fixtures/gemini/*.sse, CRLF-framed
// as Google sends them) translated into OpenAI chat.completion.chunk streams.

const KEY = "AIzaSyFixture-gemini-key-0123456789abcdef";
const fixtures = fixtureReader("gemini");
let server: Awaited<ReturnType<typeof startFixtureServer>>;
let config: ProviderConfig;

beforeAll(async () => {
  server = await startFixtureServer();
  config = {
    id: "gemini",
    type: "gemini",
    baseURL: `http://127.0.0.1:${server.port}/v1beta`,
    apiKey: KEY,
    timeouts: DEFAULT_TIMEOUTS,
    models: [],
  };
});
afterAll(async () => {
  await closeUpstreamPools();
  await server.close();
});

const call = () => ({ signal: new AbortController().signal, requestId: "req-stream" });
const streamRequest = (name = "chat-stream") => fixtures.readRequest(name).body;

/** The `data:` payloads of an OpenAI SSE text, in order. */
function events(text: string): string[] {
  expect(text.endsWith("\n\n")).toBe(true);
  return text
    .split("\n\n")
    .filter((e) => e !== "")
    .map((e) => {
      expect(e.startsWith("data: ")).toBe(true);
      return e.slice(6);
    });
}

const chunksOf = (text: string): JsonObject[] =>
  events(text)
    .filter((d) => d !== "[DONE]")
    .map((d) => JSON.parse(d) as JsonObject);

interface Choice {
  index: number;
  delta: JsonObject;
  finish_reason: string | null;
}
const choicesOf = (chunks: JsonObject[]) => chunks.flatMap((c) => c.choices as Choice[]);

/** Streams fixture `sse` for `request` through the adapter; the whole translated text. */
async function streamed(sse: string, request = streamRequest()): Promise<string> {
  server.serve(sse, "sse", fixtures);
  const { body } = await geminiAdapter.chatStream(config, request, call());
  return new Response(body).text();
}

/** Tool calls assembled from stream deltas, the way OpenAI clients do. */
function assembleToolCalls(chunks: JsonObject[]): JsonObject[] {
  const calls: JsonObject[] = [];
  for (const choice of choicesOf(chunks)) {
    for (const d of (choice.delta.tool_calls as JsonObject[] | undefined) ?? []) {
      const {
        index,
        function: fn,
        ...rest
      } = d as {
        index: number;
        function: { name?: string; arguments?: string };
      } & JsonObject;
      const call = (calls[index] ??= { function: { name: "", arguments: "" } }) as {
        function: { name: string; arguments: string };
      } & JsonObject;
      Object.assign(call, rest);
      call.function.name += fn.name ?? "";
      call.function.arguments += fn.arguments ?? "";
    }
  }
  return calls;
}

/** A byte stream of `bytes` cut into pieces of 1, 2, … 7, 1, 2, … bytes. */
function trickle(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0;
  let size = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      size = (size % 7) + 1;
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

describe("gemini adapter: streams", () => {
  it("calls streamGenerateContent with alt=sse, the key in the header only", async () => {
    await streamed("chat-stream");
    const got = server.received.at(-1)!;
    expect(got.url).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    expect(got.headers["x-goog-api-key"]).toBe(KEY);
    expect(got.url).not.toContain(KEY);
    expect(JSON.parse(got.body)).toEqual({
      contents: [{ role: "user", parts: [{ text: "Why is the sky blue?" }] }],
    });
  });

  it("translates text deltas: role first, finish_reason, usage chunk, then [DONE]", async () => {
    const text = await streamed("chat-stream");
    expect(events(text).at(-1)).toBe("[DONE]");
    const chunks = chunksOf(text);
    for (const c of chunks) {
      expect(c).toMatchObject({
        id: "chatcmpl-eH8MaOmRBLWl1MkP_o2Y-Ak",
        object: "chat.completion.chunk",
        model: "gemini-2.5-flash",
      });
    }
    const choices = choicesOf(chunks);
    expect(choices[0]).toEqual({
      index: 0,
      delta: { role: "assistant", content: "" },
      logprobs: null,
      finish_reason: null,
    });
    expect(choices.map((c) => c.delta.content ?? "").join("")).toBe(
      "The sky looks blue because air molecules scatter short (blue) wavelengths of sunlight" +
        " far more than long (red) ones — Rayleigh scattering.",
    );
    expect(choices.filter((c) => c.finish_reason !== null)).toEqual([
      { index: 0, delta: {}, logprobs: null, finish_reason: "stop" },
    ]);
    expect(choices.at(-1)!.finish_reason).toBe("stop");
    // Text arrives as Google sent it, one delta per event, not at the end.
    expect(
      choices.filter((c) => typeof c.delta.content === "string" && c.delta.content !== ""),
    ).toHaveLength(3);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual({
      prompt_tokens: 7,
      completion_tokens: 26,
      total_tokens: 33,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    // No other chunk carries a usage object (the gateway strips the usage chunk by that shape).
    expect(chunks.slice(0, -1).every((c) => !("usage" in c))).toBe(true);
  });

  it("sends no usage chunk when include_usage was not asked for", async () => {
    const { stream_options: _omit, ...request } = streamRequest();
    const chunks = chunksOf(await streamed("chat-stream", request));
    expect(chunks.every((c) => (c.choices as unknown[]).length === 1)).toBe(true);
    expect(chunks.some((c) => "usage" in c)).toBe(false);
  });

  it("streams parallel tool calls that assemble exactly into the non-streamed ones", async () => {
    const text = await streamed("chat-tools-stream", streamRequest("chat-tools-stream"));
    const chunks = chunksOf(text);
    const choices = choicesOf(chunks);
    // Each call arrives whole: one delta with index, id, name and all the arguments.
    const deltas = choices.flatMap((c) => (c.delta.tool_calls as JsonObject[] | undefined) ?? []);
    expect(deltas.map((d) => [d.index, d.id])).toEqual([
      [0, "call_0"],
      [1, "call_1"],
    ]);
    expect(choices.at(-1)!.finish_reason).toBe("tool_calls");

    server.serve("chat-tools", "json", fixtures);
    const whole = await geminiAdapter.chat(config, fixtures.readRequest("chat-tools").body, call());
    const expected = (whole.body.choices as { message: { tool_calls: JsonObject[] } }[])[0]!.message
      .tool_calls;
    expect(expected).toHaveLength(2);
    expect(assembleToolCalls(chunks)).toEqual(expected);
    expect(chunks.at(-1)!.usage).toEqual(whole.body.usage);
  });

  it("ends a stream stopped by safety normally, with content_filter", async () => {
    const text = await streamed("chat-stream-safety");
    expect(events(text).at(-1)).toBe("[DONE]");
    const choices = choicesOf(chunksOf(text));
    expect(choices.map((c) => c.delta.content ?? "").join("")).toBe("Here is the first step:");
    expect(choices.filter((c) => c.finish_reason !== null).map((c) => c.finish_reason)).toEqual([
      "content_filter",
    ]);
  });

  it("answers a prompt blocked before any candidate with content_filter", async () => {
    const text = await streamed("chat-stream-prompt-blocked");
    const chunks = chunksOf(text);
    expect(choicesOf(chunks)).toEqual([
      { index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null },
      { index: 0, delta: {}, logprobs: null, finish_reason: "content_filter" },
    ]);
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 0 });
    expect(events(text).at(-1)).toBe("[DONE]");
  });

  it("errors the stream with a ProviderError on an error event, after passing what came before", async () => {
    server.serve("chat-stream-error", "sse", fixtures);
    const { body } = await geminiAdapter.chatStream(config, streamRequest(), call());
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const err = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return null;
        text += decoder.decode(value);
      }
    })().catch((e: unknown) => e);
    expect(text).toContain("The sky looks blue because");
    expect(text).not.toContain("[DONE]");
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({
      status: 503,
      code: "UNAVAILABLE",
      isRetryable: true,
      message: "The model is overloaded. Please try again later.",
    });
  });

  it("errors the stream with a ProviderError when the connection dies mid-way", async () => {
    const first = fixtures.readSse("chat-stream").split("\r\n\r\n")[0]! + "\r\n\r\n";
    server.set((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(first);
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const { body } = await geminiAdapter.chatStream(config, streamRequest(), call());
    const err = await new Response(body).text().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 502, kind: "protocol" });
  });

  it("errors the stream when the upstream ends cleanly before the answer finished", async () => {
    const first = fixtures.readSse("chat-stream").split("\r\n\r\n")[0]! + "\r\n\r\n";
    server.set((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(first);
    });
    const { body } = await geminiAdapter.chatStream(config, streamRequest(), call());
    const err = await new Response(body).text().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).message).toMatch(/ended before the answer was complete/);
  });

  it("turns an HTTP error before the stream into a rejected call", async () => {
    const fixture = fixtures.readResponse("error-429");
    server.set((_req, res) => {
      res.writeHead(fixture.status, fixture.headers);
      res.end(JSON.stringify(fixture.body));
    });
    await expect(geminiAdapter.chatStream(config, streamRequest(), call())).rejects.toMatchObject({
      status: 429,
      code: "RESOURCE_EXHAUSTED",
      retryAfterMs: 37_000,
    });
  });
});

describe("gemini stream translation: framing and backpressure", () => {
  const context = { requestedModel: "gemini-2.5-flash", includeUsage: true };
  const whole = (text: string) =>
    new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(text));
        c.close();
      },
    });
  /** Chunk ids and `created` differ per run only in clock; compare the rest. */
  const stable = (text: string) => chunksOf(text).map((c) => ({ ...c, created: 0 }));

  it.each(["chat-stream", "chat-tools-stream", "chat-stream-safety"])(
    "gives the same result for %s fed 1–7 bytes at a time, with CRLF or LF framing",
    async (name) => {
      const sse = fixtures.readSse(name);
      expect(sse).toContain("\r\n\r\n");
      const reference = stable(await new Response(translateStream(whole(sse), context)).text());
      expect(reference.length).toBeGreaterThan(2);
      const bytes = new TextEncoder().encode(sse);
      const trickled = await new Response(translateStream(trickle(bytes), context)).text();
      expect(stable(trickled)).toEqual(reference);
      const lf = new TextEncoder().encode(sse.replaceAll("\r\n", "\n"));
      const trickledLf = await new Response(translateStream(trickle(lf), context)).text();
      expect(stable(trickledLf)).toEqual(reference);
    },
  );

  it("reads upstream only as fast as its reader reads, and cancels upstream with it", async () => {
    const event = fixtures.readSse("chat-stream").split("\r\n\r\n")[1]! + "\r\n\r\n";
    let pulled = 0;
    let cancelled = false;
    const upstream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          // Finite, so that an eager translator would drain it all instead of hanging.
          if (++pulled > 50) return controller.close();
          controller.enqueue(new TextEncoder().encode(event));
        },
        cancel() {
          cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    const reader = translateStream(upstream, context).getReader();
    await reader.read();
    await reader.read();
    // Give any eager reading a chance to show itself.
    await new Promise((r) => setTimeout(r, 20));
    expect(pulled).toBeLessThanOrEqual(3);
    await reader.cancel();
    expect(cancelled).toBe(true);
  });
});
