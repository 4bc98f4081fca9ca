import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anthropicAdapter } from "~/providers/anthropic";
import { SseParser } from "~/providers/anthropic/sse-parser";
import { translateStream } from "~/providers/anthropic/stream";
import { closeUpstreamPools } from "~/providers/http/upstream-pools";
import { ProviderError, type JsonObject, type ProviderConfig } from "~/providers/types";
import {
  anthropicConfig,
  anthropicFixtures,
  call,
  chunkSizes,
  clientBody,
  drain,
  expectedStream,
  ssePayloads,
  withoutCreated,
} from "../fixtures/anthropic/replay";
import { startFixtureServer } from "./fixture-server";

// Anthropic SSE → OpenAI chat.completion.chunk SSE: incremental, framing-proof, failing loudly.

let server: Awaited<ReturnType<typeof startFixtureServer>>;
let config: ProviderConfig;

beforeAll(async () => {
  server = await startFixtureServer();
  config = anthropicConfig(server.baseURL);
});
afterAll(async () => {
  await closeUpstreamPools();
  await server.close();
});

const pause = () => new Promise((r) => setImmediate(r));
const encoder = new TextEncoder();

async function streamFixture(name: string, body: JsonObject = clientBody(name)) {
  server.serve(name, "sse", anthropicFixtures);
  const result = await anthropicAdapter.chatStream(config, body, call());
  return drain(result.body);
}

/** A byte stream of `bytes` cut into pieces sized by `next()`, counting how often it was pulled. */
function piecewise(bytes: Uint8Array, next: () => number) {
  let offset = 0;
  const stats = { pulls: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        stats.pulls++;
        if (offset >= bytes.length) return controller.close();
        const end = Math.min(bytes.length, offset + next());
        controller.enqueue(bytes.slice(offset, end));
        offset = end;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, stats };
}

interface StreamedCall {
  id?: string;
  type?: string;
  function: { name?: string; arguments: string };
}

/** What an OpenAI client assembles from the chunks. */
function assemble(text: string) {
  let content = "";
  let finish: unknown = null;
  let usage: unknown = null;
  const calls: StreamedCall[] = [];
  for (const chunk of ssePayloads(text)) {
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices as { delta: JsonObject; finish_reason: unknown }[]) {
      if (choice.finish_reason) finish = choice.finish_reason;
      if (typeof choice.delta.content === "string") content += choice.delta.content;
      for (const d of (choice.delta.tool_calls ?? []) as (StreamedCall & { index: number })[]) {
        const call = (calls[d.index] ??= { function: { arguments: "" } });
        if (d.id) call.id = d.id;
        if (d.type) call.type = d.type;
        if (d.function.name) call.function.name = d.function.name;
        call.function.arguments += d.function.arguments;
      }
    }
  }
  return { content, finish, usage, calls };
}

describe("anthropic adapter: streams", () => {
  it("translates each recorded stream into the expected OpenAI chunks", async () => {
    for (const name of ["chat-stream", "chat-tools-stream", "chat-json-schema-stream"]) {
      const { text, error } = await streamFixture(name);
      expect(error).toBeNull();
      expect({ name, text: withoutCreated(text) }).toEqual({ name, text: expectedStream(name) });
      // One timestamp for the whole stream.
      expect(new Set(ssePayloads(text).map((c) => c.created)).size).toBe(1);
    }
  });

  it("streams tool calls that assemble into the non-streamed answer's tool_calls", async () => {
    const streamed = assemble((await streamFixture("chat-tools-stream")).text);
    server.serve("chat-tools", "json", anthropicFixtures);
    const whole = await anthropicAdapter.chat(config, clientBody("chat-tools"), call());
    const choice = (whole.body.choices as { message: JsonObject; finish_reason: string }[])[0]!;
    const wholeCalls = choice.message.tool_calls as StreamedCall[];
    expect(streamed.calls).toHaveLength(2);
    // Claude streams its tool input with spaces (`{"city": "Paris"}`) where the non-streamed
    // input is re-serialized compactly: arguments are compared as the JSON values they encode.
    const parsed = (calls: StreamedCall[]) =>
      calls.map((c) => ({
        ...c,
        function: { ...c.function, arguments: JSON.parse(c.function.arguments) as unknown },
      }));
    expect(parsed(streamed.calls)).toEqual(parsed(wholeCalls));
    expect(streamed.calls.map((c) => [c.id, c.type, c.function.name])).toEqual(
      wholeCalls.map((c) => [c.id, c.type, c.function.name]),
    );
    expect(streamed.content).toBe(choice.message.content);
    expect(streamed.finish).toBe(choice.finish_reason);
    expect(streamed.usage).toEqual(whole.body.usage);
  });

  it("streams the json_schema answer as content equal to the non-streamed one", async () => {
    const streamed = assemble((await streamFixture("chat-json-schema-stream")).text);
    server.serve("chat-json-schema", "json", anthropicFixtures);
    const whole = await anthropicAdapter.chat(config, clientBody("chat-json-schema"), call());
    const message = (whole.body.choices as { message: JsonObject }[])[0]!.message;
    expect(JSON.parse(streamed.content)).toEqual(JSON.parse(message.content as string));
    expect(streamed.calls).toEqual([]);
    expect(streamed.finish).toBe("stop");
  });

  it("reports cache tokens, taking cumulative counts from message_delta", async () => {
    const event = (data: JsonObject) =>
      `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;
    const transcript = [
      event({
        type: "message_start",
        message: {
          id: "msg_1",
          model: "claude-haiku-4-5",
          usage: { input_tokens: 5, cache_creation_input_tokens: 300, output_tokens: 1 },
        },
      }),
      event({ type: "content_block_start", index: 0, content_block: { type: "text", text: "Hi" } }),
      event({ type: "content_block_stop", index: 0 }),
      event({
        type: "message_delta",
        delta: { stop_reason: "max_tokens", stop_sequence: null },
        usage: { output_tokens: 9, cache_read_input_tokens: 1000 },
      }),
      event({ type: "message_stop" }),
    ].join("");
    const { stream } = piecewise(encoder.encode(transcript), () => 64);
    const out = await translateStream(stream, { jsonTool: null, includeUsage: true });
    const streamed = assemble((await drain(out)).text);
    expect(streamed.content).toBe("Hi");
    expect(streamed.finish).toBe("length");
    expect(streamed.usage).toEqual({
      prompt_tokens: 1305,
      completion_tokens: 9,
      total_tokens: 1314,
      prompt_tokens_details: { cached_tokens: 1000 },
    });
  });

  it("adds the usage chunk only when include_usage was asked for", async () => {
    const body = { ...clientBody("chat-stream") };
    delete body.stream_options;
    const { text } = await streamFixture("chat-stream", body);
    const chunks = ssePayloads(text);
    expect(chunks.every((c) => (c.choices as unknown[]).length === 1)).toBe(true);
    expect(text.endsWith('"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n')).toBe(true);
  });

  it("survives any framing: 1–7 byte pieces, LF or CRLF, several events per chunk", async () => {
    for (const name of ["chat-stream", "chat-tools-stream", "chat-json-schema-stream"]) {
      const lf = anthropicFixtures.readSse(name);
      const variants = {
        lf,
        crlf: lf.replace(/\n/g, "\r\n"),
        cr: lf.replace(/\n/g, "\r"),
      };
      for (const [framing, transcript] of Object.entries(variants)) {
        for (const seed of [1, 2, 3]) {
          const { stream } = piecewise(encoder.encode(transcript), chunkSizes(seed, 1, 7));
          const request = name === "chat-json-schema-stream" ? "json_response" : null;
          const out = await translateStream(stream, { jsonTool: request, includeUsage: true });
          const { text, error } = await drain(out);
          expect({ name, framing, seed, error }).toEqual({ name, framing, seed, error: null });
          expect(withoutCreated(text)).toBe(expectedStream(name));
        }
      }
      // The whole transcript in one chunk.
      const { stream } = piecewise(encoder.encode(lf), () => lf.length * 4);
      const out = await translateStream(stream, {
        jsonTool: name === "chat-json-schema-stream" ? "json_response" : null,
        includeUsage: true,
      });
      expect(withoutCreated((await drain(out)).text)).toBe(expectedStream(name));
    }
  });

  it("survives awkward splits over a real connection too", async () => {
    const transcript = Buffer.from(
      anthropicFixtures.readSse("chat-tools-stream").replace(/\n/g, "\r\n"),
    );
    const next = chunkSizes(7, 1, 7);
    server.set((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      void (async () => {
        for (let offset = 0; offset < transcript.length;) {
          const end = Math.min(transcript.length, offset + next());
          res.write(transcript.subarray(offset, end));
          offset = end;
          await pause();
        }
        res.end();
      })();
    });
    const result = await anthropicAdapter.chatStream(
      config,
      clientBody("chat-tools-stream"),
      call(),
    );
    const { text, error } = await drain(result.body);
    expect(error).toBeNull();
    expect(withoutCreated(text)).toBe(expectedStream("chat-tools-stream"));
  });

  it("is incremental: the first chunk arrives while upstream is still writing", async () => {
    const transcript = anthropicFixtures.readSse("chat-stream");
    const cut = transcript.indexOf("event: content_block_delta");
    let release: () => void = () => {};
    const released = new Promise<void>((r) => (release = r));
    server.set((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(transcript.slice(0, cut));
      void released.then(() => res.end(transcript.slice(cut)));
    });
    const result = await anthropicAdapter.chatStream(config, clientBody("chat-stream"), call());
    const reader = result.body.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('"role":"assistant"');
    release();
    let rest = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest).toContain('"content":"Bonjour"');
    expect(rest.endsWith("data: [DONE]\n\n")).toBe(true);
  });

  it("reads upstream only as fast as the consumer reads (backpressure)", async () => {
    const bytes = encoder.encode(anthropicFixtures.readSse("chat-stream"));
    const { stream, stats } = piecewise(bytes, () => 16);
    const out = await translateStream(stream, { jsonTool: null, includeUsage: true });
    const reader = out.getReader();
    await reader.read();
    await pause();
    const total = Math.ceil(bytes.length / 16);
    // Only what was needed for the first chunk (message_start) has been read.
    expect(stats.pulls).toBeLessThan(total / 2);
    await reader.cancel();
  });

  it("cancelling the stream aborts the upstream request", async () => {
    const transcript = anthropicFixtures.readSse("chat-stream");
    const cut = transcript.indexOf("event: content_block_delta");
    server.set((req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(transcript.slice(0, cut)); // …and never finishes
    });
    const result = await anthropicAdapter.chatStream(config, clientBody("chat-stream"), call());
    const reader = result.body.getReader();
    await reader.read();
    const url = server.received.at(-1)!.url;
    await reader.cancel();
    await expect.poll(() => server.closed.includes(url)).toBe(true);
  });
});

describe("anthropic adapter: SSE framing", () => {
  const raw = [
    ": a comment\n",
    "event: message_start\n",
    'data: {"a":1}\n',
    "\n",
    "event: multi\n",
    "data: first\n",
    "data:second\n",
    "id: 7\n",
    "\n",
    "data: no event name\n",
    "\n",
  ].join("");
  const expected = [
    { event: "message_start", data: '{"a":1}' },
    { event: "multi", data: "first\nsecond" },
    { event: "message", data: "no event name" },
  ];

  it("parses fields, comments and multi-line data with any line ending, split anywhere", () => {
    for (const [ending, text] of [
      ["lf", raw],
      ["crlf", raw.replace(/\n/g, "\r\n")],
      ["cr", raw.replace(/\n/g, "\r")],
    ] as const) {
      const bytes = encoder.encode(text);
      for (let size = 1; size <= 7; size++) {
        const parser = new SseParser();
        const events = [];
        for (let i = 0; i < bytes.length; i += size) {
          events.push(...parser.push(bytes.subarray(i, i + size)));
        }
        events.push(...parser.end());
        expect({ ending, size, events }).toEqual({ ending, size, events: expected });
      }
    }
  });

  it("keeps multi-byte characters split across chunks whole", () => {
    const bytes = encoder.encode("data: Ça va 👋\n\n");
    const parser = new SseParser();
    const events = [...bytes].flatMap((b) => parser.push(Uint8Array.of(b)));
    expect(events).toEqual([{ event: "message", data: "Ça va 👋" }]);
  });

  it("keeps a final event that lacks its blank line", () => {
    const parser = new SseParser();
    expect(
      parser.push(encoder.encode('event: message_stop\ndata: {"type":"message_stop"}')),
    ).toEqual([]);
    expect(parser.end()).toEqual([{ event: "message_stop", data: '{"type":"message_stop"}' }]);
  });
});

describe("anthropic adapter: stream failures", () => {
  async function failed(text: string, error: unknown): Promise<ProviderError> {
    expect(error).toBeInstanceOf(ProviderError);
    expect(text).not.toContain("[DONE]");
    return error as ProviderError;
  }

  it("errors the stream on a mid-stream overloaded_error event (retryable 529)", async () => {
    const { text, error } = await streamFixture(
      "chat-stream-overloaded",
      clientBody("chat-stream"),
    );
    expect(text).toContain('"content":"Once upon"');
    const err = await failed(text, error);
    expect(err).toMatchObject({
      status: 529,
      kind: "http",
      isRetryable: true,
      code: "overloaded_error",
      type: "overloaded_error",
      message: "Overloaded",
    });
  });

  it("rejects the call when the stream fails before its first chunk (nothing sent yet)", async () => {
    server.serve("chat-stream-overloaded-first", "sse", anthropicFixtures);
    const err = await anthropicAdapter
      .chatStream(config, clientBody("chat-stream"), call())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 529, isRetryable: true, code: "overloaded_error" });
  });

  it("rejects the call on an HTTP 529 answer to a stream request", async () => {
    server.serve("error-529-overloaded", "json", anthropicFixtures);
    const err = await anthropicAdapter
      .chatStream(config, clientBody("chat-stream"), call())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 529, isRetryable: true, code: "overloaded_error" });
  });

  it("passes on everything before a failure, however the bytes are chunked", async () => {
    const transcript = encoder.encode(anthropicFixtures.readSse("chat-stream-overloaded"));
    for (const next of [() => transcript.length, chunkSizes(11, 1, 7), () => 1]) {
      const { stream } = piecewise(transcript, next);
      const out = await translateStream(stream, { jsonTool: null, includeUsage: true });
      const { text, error } = await drain(out);
      expect(assemble(text).content).toBe("Once upon");
      expect((await failed(text, error)).code).toBe("overloaded_error");
    }
  });

  it("errors the stream when the connection dies mid-stream", async () => {
    const transcript = anthropicFixtures.readSse("chat-stream");
    const cut = transcript.indexOf('"text":" ! Ça va"');
    server.set((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(transcript.slice(0, cut));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const result = await anthropicAdapter.chatStream(config, clientBody("chat-stream"), call());
    const { text, error } = await drain(result.body);
    expect(text).toContain('"content":"Bonjour"');
    const err = await failed(text, error);
    expect(err.status).toBe(502);
    expect(err.isRetryable).toBe(true);
  });

  it("errors the stream when it ends cleanly without message_stop", async () => {
    const { text, error } = await streamFixture("chat-stream-no-stop", clientBody("chat-stream"));
    expect(text).toContain('"content":"Once upon a time"');
    const err = await failed(text, error);
    expect(err).toMatchObject({ status: 502, kind: "protocol" });
    expect(err.message).toMatch(/message_stop/);
  });

  it("errors the stream on an event that is not JSON", async () => {
    const transcript = anthropicFixtures.readSse("chat-stream");
    server.set((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(transcript.replace('"text":"Bonjour"}}', '"text":"Bonj'));
    });
    const result = await anthropicAdapter.chatStream(config, clientBody("chat-stream"), call());
    const { text, error } = await drain(result.body);
    const err = await failed(text, error);
    expect(err.kind).toBe("protocol");
  });
});
