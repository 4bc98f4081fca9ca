import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import type { CacheEntry } from "~/gateway/cache/cache-entry";
import { completionFromSse } from "~/gateway/cache/completion-from-sse";
import {
  replayAsSse,
  replayAsSseStream,
  replaySseEvents,
  splitText,
} from "~/gateway/cache/sse-replay";
import { assembleStream } from "~/gateway/streaming/assemble-stream";

type Json = Record<string, unknown>;

const USAGE = {
  prompt_tokens: 30,
  completion_tokens: 12,
  total_tokens: 42,
  prompt_tokens_details: { cached_tokens: 0 },
};

function entry(
  answer: Json,
  endpoint: CacheEntry["meta"]["endpoint"] = "chat.completions",
): CacheEntry {
  return {
    orgId: "org_a",
    key: "k",
    body: JSON.stringify(answer),
    meta: {
      endpoint,
      usage: null,
      providerId: "openai",
      providerType: "openai",
      servedModel: "gpt-4o-mini",
      finishReason: "stop",
      costMicros: null,
      createdAt: 1_900_000_000_000,
      expiresAt: 1_900_000_060_000,
    },
  };
}

function completion(choices: Json[], extra: Json = {}): Json {
  return {
    id: "chatcmpl-abc",
    object: "chat.completion",
    created: 1_900_000_000,
    model: "gpt-4o-mini",
    choices,
    usage: USAGE,
    ...extra,
  };
}

const textChoice = (content: string, index = 0): Json => ({
  index,
  message: { role: "assistant", content, refusal: null, annotations: [] },
  logprobs: null,
  finish_reason: "stop",
});

const toolChoice = (index = 0): Json => ({
  index,
  message: {
    role: "assistant",
    content: null,
    tool_calls: [
      {
        id: "call_1",
        type: "function",
        function: {
          name: "get_weather",
          arguments: '{"city":"Paris","unit":"celsius","days":[1,2,3]}',
        },
      },
      {
        id: "call_2",
        type: "function",
        function: { name: "get_time", arguments: '{"timezone":"Europe/Paris"}' },
      },
      { id: "call_3", type: "function", function: { name: "ping", arguments: "{}" } },
    ],
  },
  logprobs: null,
  finish_reason: "tool_calls",
});

/** An OpenAI SDK client whose every request is answered with `sse` (no network). */
function sdkOver(sse: string): OpenAI {
  return new OpenAI({
    apiKey: "sy-test",
    baseURL: "http://switchyard.invalid/v1",
    fetch: async () =>
      new Response(sse, { status: 200, headers: { "content-type": "text/event-stream" } }),
  });
}

const params = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "hi" }] };

/** Every event is one `data:` line with JSON (or [DONE]) and a blank line; [DONE] comes last. */
function expectWellFormed(events: string[]): void {
  expect(events.at(-1)).toBe("data: [DONE]\n\n");
  for (const e of events.slice(0, -1)) {
    expect(e).toMatch(/^data: [^\n]+\n\n$/);
    expect(() => JSON.parse(e.slice(6)) as unknown).not.toThrow();
  }
}

describe("SSE replay of a cached answer", () => {
  it("streams content in a few deltas that the OpenAI SDK assembles back into the same message", async () => {
    const content =
      "Paris is the capital of France. It sits on the Seine and has about two million people.";
    const cached = entry(completion([textChoice(content)]));
    const events = replaySseEvents(cached, false);
    expectWellFormed(events);
    const deltas = events.filter((e) => e.includes('"content":"') && !e.includes('"content":""'));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.length).toBeLessThanOrEqual(4);
    expect(events.some((e) => e.includes('"usage"'))).toBe(false);

    const final = await sdkOver(events.join(""))
      .chat.completions.stream(params)
      .finalChatCompletion();
    expect(final.id).toBe("chatcmpl-abc");
    expect(final.model).toBe("gpt-4o-mini");
    expect(final.choices).toHaveLength(1);
    expect(final.choices[0]!.message.content).toBe(content);
    expect(final.choices[0]!.message.role).toBe("assistant");
    expect(final.choices[0]!.finish_reason).toBe("stop");
  });

  it("sends the usage chunk (choices: []) only when the client asked include_usage", async () => {
    const cached = entry(completion([textChoice("Hello there, general Kenobi.")]));
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    const stream = await sdkOver(replaySseEvents(cached, true).join("")).chat.completions.create({
      ...params,
      stream: true,
    });
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual(USAGE);
    expect(chunks.filter((c) => c.usage)).toHaveLength(1);
    expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);

    const without: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of await sdkOver(
      replaySseEvents(cached, false).join(""),
    ).chat.completions.create({ ...params, stream: true })) {
      without.push(chunk);
    }
    expect(without.some((c) => c.usage)).toBe(false);
    expect(without.length).toBe(chunks.length - 1);
  });

  it("streams several tool calls (id and name first, then the arguments) that parse back exactly", async () => {
    const cached = entry(completion([toolChoice()]));
    const events = replaySseEvents(cached, false);
    expectWellFormed(events);
    const stored = (toolChoice().message as { tool_calls: Json[] }).tool_calls;

    const final = await sdkOver(events.join(""))
      .chat.completions.stream(params)
      .finalChatCompletion();
    const message = final.choices[0]!.message;
    expect(message.content).toBeNull();
    expect(final.choices[0]!.finish_reason).toBe("tool_calls");
    expect(message.tool_calls).toEqual(stored);

    // The first chunk of each call names it; later ones carry only arguments.
    const firsts = events.filter((e) => e.includes('"id":"call_'));
    expect(firsts).toHaveLength(3);
    for (const e of firsts) expect(e).toContain('"arguments":""');
  });

  it("replays every choice of an n>1 answer, and the request-log assembler agrees", async () => {
    const answer = completion([
      textChoice("First answer, with some length to it.", 0),
      toolChoice(1),
      textChoice("🙂 émoji and 漢字 survive the split, 🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂", 2),
    ]);
    const cached = entry(answer);
    const sse = replaySseEvents(cached, true).join("");

    const final = await sdkOver(sse)
      .chat.completions.stream({ ...params, n: 3 })
      .finalChatCompletion();
    const stored = answer.choices as { message: Json; finish_reason: string }[];
    expect(final.choices.map((c) => c.message.content)).toEqual(
      stored.map((c) => c.message.content),
    );
    expect(final.choices[1]!.message.tool_calls).toEqual(stored[1]!.message.tool_calls);
    expect(final.choices.map((c) => c.finish_reason)).toEqual(["stop", "tool_calls", "stop"]);

    const assembled = JSON.parse(assembleStream(sse, false)) as {
      choices: Json[];
      usage: unknown;
      id: string;
    };
    expect(assembled.id).toBe("chatcmpl-abc");
    expect(assembled.usage).toEqual(USAGE);
    expect(assembled.choices.map((c) => (c.message as Json).content)).toEqual(
      stored.map((c) => c.message.content),
    );
    expect((assembled.choices[1]!.message as Json).tool_calls).toEqual(
      stored[1]!.message.tool_calls,
    );
  });

  it("never splits a surrogate pair across chunks", () => {
    const text = "🙂".repeat(37);
    const parts = splitText(text);
    expect(parts.join("")).toBe(text);
    for (const p of parts) expect(Buffer.from(p, "utf8").toString("utf8")).toBe(p);
    expect(splitText("short")).toEqual(["short"]);
  });

  it("replays a refusal and keeps the message's other fields (annotations) for the SDK", async () => {
    const answer = completion([
      {
        index: 0,
        message: {
          role: "assistant",
          content: null,
          refusal: "I can't help with that request, sorry.",
          annotations: [],
        },
        finish_reason: "stop",
      },
    ]);
    const final = await sdkOver(replaySseEvents(entry(answer), false).join(""))
      .chat.completions.stream(params)
      .finalChatCompletion();
    expect(final.choices[0]!.message.refusal).toBe("I can't help with that request, sorry.");
    expect(final.choices[0]!.message.content).toBeNull();
  });

  it("replays a legacy completion as text_completion chunks", () => {
    const answer = {
      id: "cmpl-1",
      object: "text_completion",
      created: 1,
      model: "m",
      choices: [
        {
          index: 0,
          text: "Once upon a time, in a land far away, there lived a fox.",
          logprobs: null,
          finish_reason: "length",
        },
      ],
      usage: USAGE,
    };
    const events = replaySseEvents(entry(answer, "completions"), false);
    expectWellFormed(events);
    const chunks = events.slice(0, -1).map(
      (e) =>
        JSON.parse(e.slice(6)) as {
          object: string;
          choices: { text: string; finish_reason: string | null }[];
        },
    );
    expect(chunks.every((c) => c.object === "text_completion")).toBe(true);
    expect(chunks.map((c) => c.choices[0]!.text).join("")).toBe(
      "Once upon a time, in a land far away, there lived a fox.",
    );
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe("length");
  });

  it("offers the same bytes as chunks and as a stream", async () => {
    const cached = entry(completion([textChoice("Same bytes either way, of course.")]));
    const chunks = replayAsSse(cached, true);
    const streamed = await new Response(replayAsSseStream(cached, true)).text();
    expect(Buffer.concat(chunks).toString("utf8")).toBe(streamed);
    expect(streamed).toBe(replaySseEvents(cached, true).join(""));
  });

  it("refuses to replay an entry that is not a completion", () => {
    expect(() =>
      replaySseEvents({ ...entry({}), body: '{"object":"list","data":[]}' }, false),
    ).toThrow(/not a completion/);
  });
});

describe("completionFromSse (a streamed miss, stored as a completion)", () => {
  const upstream = (parts: Json[], tail = "data: [DONE]\n\n") =>
    parts
      .map(
        (p) =>
          `data: ${JSON.stringify({ id: "chatcmpl-up", object: "chat.completion.chunk", created: 5, model: "gpt-4o-mini", ...p })}\n\n`,
      )
      .join("") + tail;

  it("assembles content and tool calls, fills in the usage, and replays back to the same answer", async () => {
    const sse = upstream([
      { choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: "Let me " }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: "check." }, finish_reason: null }] },
      {
        choices: [
          {
            index: 0,
            delta: {
              tool_calls: [
                {
                  index: 0,
                  id: "call_x",
                  type: "function",
                  function: { name: "lookup", arguments: "" },
                },
              ],
            },
            finish_reason: null,
          },
        ],
      },
      {
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 0, function: { arguments: '{"q":' } }] },
            finish_reason: null,
          },
        ],
      },
      {
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 0, function: { arguments: '"x"}' } }] },
            finish_reason: null,
          },
        ],
      },
      { choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] },
    ]);
    const usage = { promptTokens: 9, completionTokens: 4, totalTokens: 13 };
    const assembled = completionFromSse(sse, { usage, createdAt: 1_900_000_000_000 });
    expect(assembled).not.toBeNull();
    expect(assembled!.finishReason).toBe("tool_calls");
    const body = JSON.parse(assembled!.body) as Json;
    expect(body).toMatchObject({
      id: "chatcmpl-up",
      object: "chat.completion",
      created: 1_900_000_000,
      model: "gpt-4o-mini",
      usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
    });

    const cached = { ...entry({}), body: assembled!.body };
    const final = await sdkOver(replaySseEvents(cached, false).join(""))
      .chat.completions.stream(params)
      .finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe("Let me check.");
    expect(final.choices[0]!.message.tool_calls).toEqual([
      { id: "call_x", type: "function", function: { name: "lookup", arguments: '{"q":"x"}' } },
    ]);
  });

  it("refuses streams that are not a whole successful answer", () => {
    const ok = [{ choices: [{ index: 0, delta: { content: "hi" }, finish_reason: "stop" }] }];
    expect(completionFromSse(upstream(ok), { createdAt: 0 })).not.toBeNull();
    expect(completionFromSse(upstream(ok), { createdAt: 0, truncated: true })).toBeNull();
    expect(
      completionFromSse(
        upstream([{ choices: [{ index: 0, delta: { content: "h" }, finish_reason: null }] }], ""),
        { createdAt: 0 },
      ),
    ).toBeNull();
    expect(
      completionFromSse(
        upstream([{ choices: [{ index: 0, delta: { content: "h" }, finish_reason: "error" }] }]),
        { createdAt: 0 },
      ),
    ).toBeNull();
    const failed = upstream(
      [{ choices: [{ index: 0, delta: { content: "h" }, finish_reason: null }] }],
      `data: ${JSON.stringify({ error: { message: "boom", code: "upstream_stream_error" } })}\n\n`,
    );
    expect(completionFromSse(failed, { createdAt: 0 })).toBeNull();
    expect(completionFromSse("", { createdAt: 0 })).toBeNull();
  });
});
