import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProviderError } from "~/providers/types";
import { assembleStream } from "~/gateway/streaming/assemble-stream";
import {
  lastEventEnd,
  openSseRelay,
  SseRelayState,
  type RelaySummary,
} from "~/gateway/streaming/sse-relay";

const enc = new TextEncoder();
const chunk = (obj: unknown) => `data: ${JSON.stringify(obj)}\n\n`;
const content = (text: string, usageNull = true) =>
  chunk({
    id: "c1",
    object: "chat.completion.chunk",
    model: "m",
    choices: [{ index: 0, delta: { content: text }, finish_reason: null }],
    ...(usageNull ? { usage: null } : {}),
  });
const finish = chunk({
  id: "c1",
  object: "chat.completion.chunk",
  model: "m",
  choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
  usage: null,
});
const usageChunk = chunk({
  id: "c1",
  object: "chat.completion.chunk",
  model: "m",
  choices: [],
  usage: {
    prompt_tokens: 11,
    completion_tokens: 7,
    total_tokens: 18,
    prompt_tokens_details: { cached_tokens: 3 },
    completion_tokens_details: { reasoning_tokens: 2 },
  },
});
const DONE = "data: [DONE]\n\n";
const transcript = content("Hel") + content("lo") + finish + usageChunk + DONE;

/** An upstream stream that yields `parts`, then ends (or fails with `error`). */
function upstream(parts: string[], error?: Error): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < parts.length) c.enqueue(enc.encode(parts[i++]!));
      else if (error) c.error(error);
      else c.close();
    },
  });
}

async function relay(
  parts: string[],
  opts: { strip?: boolean; error?: Error; capture?: number } = {},
) {
  const ends: RelaySummary[] = [];
  const stream = await openSseRelay(upstream(parts, opts.error), {
    stripUsage: opts.strip ?? false,
    captureLimit: opts.capture ?? 0,
    failureMessage: (e) => `failed: ${(e as Error).message}`,
    onEnd: (s) => ends.push(s),
  });
  const text = await new Response(stream).text();
  return { text, ends };
}

/** Splits `text` at the given byte offsets. */
function splitAt(text: string, cuts: number[]): string[] {
  const bytes = Buffer.from(text);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    if (p > prev) parts.push(bytes.subarray(prev, p).toString("latin1"));
    prev = p;
  }
  return parts;
}

describe("lastEventEnd", () => {
  it("finds the end of the last complete event, for \\n and \\r\\n line endings", () => {
    expect(lastEventEnd(Buffer.from("data: a\n\ndata: b"))).toBe(9);
    expect(lastEventEnd(Buffer.from("data: a\r\n\r\ndata: b\r\n\r\n"))).toBe(22);
    expect(lastEventEnd(Buffer.from("data: a\n"))).toBe(-1);
  });
});

describe("SSE relay", () => {
  it("passes the stream through unchanged when the client asked for usage, and reads the usage", async () => {
    const { text, ends } = await relay([transcript]);
    expect(text).toBe(transcript);
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({
      outcome: "complete",
      finishReason: "stop",
      usage: {
        promptTokens: 11,
        completionTokens: 7,
        totalTokens: 18,
        cachedReadTokens: 3,
        reasoningTokens: 2,
      },
    });
  });

  it("strips the usage-only chunk when the client did not ask for it, and still reads the usage", async () => {
    const { text, ends } = await relay([transcript], { strip: true });
    expect(text).toBe(content("Hel") + content("lo") + finish + DONE);
    expect(ends[0]!.usage?.totalTokens).toBe(18);
  });

  it("keeps a chunk that carries usage next to choices (some servers do), even when stripping", async () => {
    const combined = chunk({
      choices: [{ index: 0, delta: {}, finish_reason: "length" }],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    });
    const { text, ends } = await relay([content("x") + combined + DONE], { strip: true });
    expect(text).toBe(content("x") + combined + DONE);
    expect(ends[0]).toMatchObject({ finishReason: "length", usage: { totalTokens: 3 } });
  });

  it("is not fooled by usage-like text inside content", async () => {
    const tricky = content('say "usage":{"prompt_tokens":99} and "finish_reason":"evil"');
    const { text, ends } = await relay([tricky + finish + DONE], { strip: true });
    expect(text).toBe(tricky + finish + DONE);
    expect(ends[0]!.usage).toBeNull();
    expect(ends[0]!.finishReason).toBe("stop");
  });

  it("gives the same bytes however the upstream splits them (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: 2000 }), { maxLength: 12 }),
        fc.boolean(),
        async (cuts, strip) => {
          const whole = await relay([transcript], { strip });
          const split = await relay(splitAt(transcript, cuts), { strip });
          expect(split.text).toBe(whole.text);
          expect(split.ends[0]!.usage).toEqual(whole.ends[0]!.usage);
          expect(split.ends[0]!.outcome).toBe("complete");
        },
      ),
      { numRuns: 150 },
    );
  });

  it("splits across multi-byte characters without corrupting them", async () => {
    const text = content("héllo wörld 🚂") + finish + DONE;
    const bytes = Buffer.from(text);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 3) parts.push(bytes.subarray(i, i + 3));
    let i = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(c) {
        if (i < parts.length) c.enqueue(parts[i++]!);
        else c.close();
      },
    });
    const stream = await openSseRelay(source, {
      stripUsage: true,
      captureLimit: 0,
      failureMessage: () => "x",
      onEnd: () => {},
    });
    expect(await new Response(stream).text()).toBe(text);
  });

  it("ends a stream that fails mid-way with one error event and no [DONE]", async () => {
    const cause = new ProviderError({ message: "socket closed", status: 502, kind: "protocol" });
    const { text, ends } = await relay([content("Hel"), content("lo")], { error: cause });
    expect(text.startsWith(content("Hel") + content("lo"))).toBe(true);
    expect(text).not.toContain("[DONE]");
    const last = text.trim().split("\n\n").at(-1)!;
    expect(JSON.parse(last.slice("data: ".length))).toEqual({
      error: {
        message: "failed: socket closed",
        type: "server_error",
        param: null,
        code: "upstream_stream_error",
      },
    });
    expect(ends).toEqual([expect.objectContaining({ outcome: "upstream_error", error: cause })]);
  });

  it("drops a half event when the upstream fails in the middle of it", async () => {
    const half = content("lo").slice(0, 90);
    const { text } = await relay([content("Hel"), half], { error: new Error("boom") });
    const events = text.trim().split("\n\n");
    expect(events).toHaveLength(2);
    expect(`${events[0]}\n\n`).toBe(content("Hel"));
    expect(events[1]).toContain('"code":"upstream_stream_error"');
  });

  it("treats a clean end without [DONE] and without a finish reason as a failure", async () => {
    const { text, ends } = await relay([content("Hel")]);
    expect(text).toContain("upstream_stream_error");
    expect(text).not.toContain("[DONE]");
    expect(ends[0]!.outcome).toBe("upstream_error");
  });

  it("completes a clean end without [DONE] after a finish reason (and flushes a last event without its blank line)", async () => {
    const { text, ends } = await relay([content("Hel") + finish.trimEnd()]);
    expect(text).toBe(content("Hel") + finish + DONE);
    expect(ends[0]!.outcome).toBe("complete");
  });

  it("fails before the first byte when the upstream fails before sending anything", async () => {
    const cause = new ProviderError({ message: "refused", status: 502, kind: "connect" });
    await expect(relay([], { error: cause })).rejects.toBe(cause);
    await expect(relay([])).rejects.toThrow(/empty stream/);
  });

  it("reports a client cancel and cancels the upstream", async () => {
    let cancelled: unknown = null;
    let i = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(enc.encode(content(`piece ${i++}`)));
      },
      cancel(reason) {
        cancelled = reason ?? "cancelled";
      },
    });
    const ends: RelaySummary[] = [];
    const stream = await openSseRelay(source, {
      stripUsage: true,
      captureLimit: 0,
      failureMessage: () => "x",
      onEnd: (s) => ends.push(s),
    });
    const reader = stream.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel("client went away");
    expect(cancelled).not.toBeNull();
    expect(ends).toEqual([expect.objectContaining({ outcome: "client_abort" })]);
  });

  it("reads upstream only as fast as the client reads (backpressure)", async () => {
    let pulled = 0;
    const source = new ReadableStream<Uint8Array>(
      {
        pull(c) {
          pulled++;
          c.enqueue(enc.encode(content(`piece ${pulled}`)));
        },
      },
      { highWaterMark: 0 },
    );
    const stream = await openSseRelay(source, {
      stripUsage: true,
      captureLimit: 0,
      failureMessage: () => "x",
      onEnd: () => {},
    });
    const reader = stream.getReader();
    await new Promise((r) => setTimeout(r, 50));
    const before = pulled;
    expect(before).toBeLessThanOrEqual(3);
    await reader.read();
    await new Promise((r) => setTimeout(r, 20));
    expect(pulled).toBeLessThanOrEqual(before + 2);
    await reader.cancel();
  });

  it("captures at most the limit and flags the cut", async () => {
    const { ends } = await relay([transcript], { capture: 100 });
    expect(ends[0]!.captured!.length).toBe(100);
    expect(ends[0]!.capturedTruncated).toBe(true);
    const full = await relay([transcript], { capture: 1 << 20 });
    expect(full.ends[0]!.captured!.toString()).toBe(transcript);
    expect(full.ends[0]!.capturedTruncated).toBe(false);
  });

  it("refuses an endless event (bounded memory)", () => {
    const state = new SseRelayState({ stripUsage: false, captureLimit: 0 });
    const big = new Uint8Array(1024 * 1024).fill(97);
    expect(() => {
      for (let i = 0; i < 10; i++) state.push(big);
    }).toThrow(/larger than/);
  });
});

describe("assembleStream", () => {
  it("rebuilds text, tool calls, finish reasons and usage from a streamed answer", () => {
    const sse =
      chunk({
        id: "x",
        model: "m",
        choices: [{ index: 0, delta: { role: "assistant", content: null } }],
      }) +
      chunk({
        choices: [
          {
            index: 0,
            delta: {
              tool_calls: [
                {
                  index: 0,
                  id: "call_1",
                  type: "function",
                  function: { name: "get_weather", arguments: "" },
                },
              ],
            },
          },
        ],
      }) +
      chunk({
        choices: [
          { index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] } },
        ],
      }) +
      chunk({
        choices: [
          { index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] } },
        ],
      }) +
      chunk({ choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] }) +
      chunk({ choices: [{ index: 1, delta: { content: "Hi" }, finish_reason: "stop" }] }) +
      chunk({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }) +
      DONE;
    expect(JSON.parse(assembleStream(sse, false))).toEqual({
      id: "x",
      object: "chat.completion",
      model: "m",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                id: "call_1",
                type: "function",
                function: { name: "get_weather", arguments: '{"city":"Paris"}' },
              },
            ],
          },
          finish_reason: "tool_calls",
        },
        { index: 1, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" },
      ],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    });
  });

  it("skips a cut-off last event and says the capture was truncated", () => {
    const sse = content("Hel") + content("lo").slice(0, 30);
    const out = JSON.parse(assembleStream(sse, true));
    expect(out.choices[0].message.content).toBe("Hel");
    expect(out.truncated).toBe(true);
  });
});
