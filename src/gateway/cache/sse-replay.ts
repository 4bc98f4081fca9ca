import type { CacheEntry } from "./cache-entry";

/**
 * A stored answer replayed as the SSE stream an OpenAI-compatible upstream would have sent, for a
 * streaming request that hit the cache. Per choice, in order: a role chunk (carrying the
 * message's other fields and the logprobs whole), the content in a few deltas, the refusal,
 * each tool call (id, type and name first, then its arguments in pieces), a finish chunk; then
 * the usage chunk (`choices: []`) only when the client asked `stream_options.include_usage`, and
 * `data: [DONE]`. Legacy completions replay as `text_completion` chunks.
 */

/** Pieces a text is cut into (so clients see a stream, without a chunk per character). */
const PIECES = 4;
/** Texts shorter than this many characters per piece go out in fewer pieces. */
const MIN_PIECE = 16;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** Cuts `text` into at most PIECES parts, never inside a surrogate pair. */
export function splitText(text: string): string[] {
  if (text.length <= MIN_PIECE) return [text];
  const count = Math.min(PIECES, Math.ceil(text.length / MIN_PIECE));
  const size = Math.ceil(text.length / count);
  const parts: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    const c = text.charCodeAt(end - 1);
    if (end < text.length && c >= 0xd800 && c <= 0xdbff) end++; // keep the pair together
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}

const event = (data: unknown): string => `data: ${JSON.stringify(data)}\n\n`;
const DONE = "data: [DONE]\n\n";

/** Fields every chunk repeats from the stored answer. */
function header(answer: Json, object: string, createdAt: number): Json {
  const head: Json = {
    id: answer.id ?? null,
    object,
    created: typeof answer.created === "number" ? answer.created : Math.floor(createdAt / 1000),
    model: answer.model ?? null,
  };
  if (answer.system_fingerprint !== undefined) head.system_fingerprint = answer.system_fingerprint;
  return head;
}

const MESSAGE_STREAMED = new Set(["role", "content", "refusal", "tool_calls", "function_call"]);

function chatChoiceEvents(head: Json, choice: Json, out: string[]): void {
  const index = typeof choice.index === "number" ? choice.index : 0;
  const chunk = (delta: Json, finish: unknown = null, logprobs: unknown = null): void => {
    out.push(event({ ...head, choices: [{ index, delta, logprobs, finish_reason: finish }] }));
  };
  const message = isObject(choice.message) ? choice.message : {};

  // The role chunk also carries the message fields that are not streamed piecewise
  // (annotations, audio, …): SDKs merge unknown delta fields into the message.
  const first: Json = { role: typeof message.role === "string" ? message.role : "assistant" };
  for (const [name, value] of Object.entries(message)) {
    if (!MESSAGE_STREAMED.has(name) && value !== null && value !== undefined) first[name] = value;
  }
  if (typeof message.content === "string") first.content = "";
  chunk(first, null, choice.logprobs ?? null);

  if (typeof message.content === "string" && message.content !== "") {
    for (const piece of splitText(message.content)) chunk({ content: piece });
  }
  if (typeof message.refusal === "string" && message.refusal !== "") {
    for (const piece of splitText(message.refusal)) chunk({ refusal: piece });
  }
  if (isObject(message.function_call)) {
    const fn = message.function_call;
    const args = typeof fn.arguments === "string" ? fn.arguments : "";
    chunk({ function_call: { name: fn.name ?? "", arguments: "" } });
    if (args !== "")
      for (const piece of splitText(args)) chunk({ function_call: { arguments: piece } });
  }
  if (Array.isArray(message.tool_calls)) {
    message.tool_calls.forEach((call: unknown, i: number) => {
      if (!isObject(call)) return;
      const fn = isObject(call.function) ? call.function : {};
      const args = typeof fn.arguments === "string" ? fn.arguments : "";
      chunk({
        tool_calls: [
          {
            index: i,
            id: call.id ?? null,
            type: call.type ?? "function",
            function: { name: fn.name ?? "", arguments: "" },
          },
        ],
      });
      if (args === "") return;
      for (const piece of splitText(args)) {
        chunk({ tool_calls: [{ index: i, function: { arguments: piece } }] });
      }
    });
  }
  chunk({}, choice.finish_reason ?? "stop");
}

function completionChoiceEvents(head: Json, choice: Json, out: string[]): void {
  const index = typeof choice.index === "number" ? choice.index : 0;
  const text = typeof choice.text === "string" ? choice.text : "";
  for (const piece of text === "" ? [] : splitText(text)) {
    out.push(
      event({ ...head, choices: [{ index, text: piece, logprobs: null, finish_reason: null }] }),
    );
  }
  out.push(
    event({
      ...head,
      choices: [
        {
          index,
          text: "",
          logprobs: choice.logprobs ?? null,
          finish_reason: choice.finish_reason ?? "stop",
        },
      ],
    }),
  );
}

/** The replay as SSE event texts (each `data: …\n\n`, the last one `data: [DONE]\n\n`). */
export function replaySseEvents(entry: CacheEntry, includeUsage: boolean): string[] {
  const answer = JSON.parse(entry.body) as unknown;
  if (!isObject(answer) || !Array.isArray(answer.choices)) {
    throw new Error("cache entry is not a completion: it cannot be replayed as a stream");
  }
  const legacy = entry.meta.endpoint === "completions" || answer.object === "text_completion";
  const head = header(
    answer,
    legacy ? "text_completion" : "chat.completion.chunk",
    entry.meta.createdAt,
  );
  const out: string[] = [];
  for (const choice of answer.choices) {
    if (!isObject(choice)) continue;
    if (legacy) completionChoiceEvents(head, choice, out);
    else chatChoiceEvents(head, choice, out);
  }
  if (includeUsage && answer.usage !== undefined && answer.usage !== null) {
    out.push(event({ ...head, choices: [], usage: answer.usage }));
  }
  out.push(DONE);
  return out;
}

/** The replay as byte chunks, one per SSE event (Buffers: node:http sinks take them as they are). */
export function replayAsSse(entry: CacheEntry, includeUsage: boolean): Buffer[] {
  return replaySseEvents(entry, includeUsage).map((text) => Buffer.from(text, "utf8"));
}

/** The replay as a response body stream (one event per read). */
export function replayAsSseStream(
  entry: CacheEntry,
  includeUsage: boolean,
): ReadableStream<Uint8Array> {
  const chunks = replayAsSse(entry, includeUsage);
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(chunks[next++]!);
      if (next >= chunks.length) controller.close();
    },
  });
}
