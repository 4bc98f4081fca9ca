import { eventData } from "./sse-relay";

/**
 * Rebuilds what a streamed answer amounted to — per choice the text, tool calls and finish
 * reason — from the SSE bytes sent to the client, for the request log. Runs once, after the
 * stream ended (never per chunk); the bytes are already capped by the relay, so a cut-off last
 * event is skipped and the result flagged `truncated`.
 */

interface ToolCallParts {
  id?: string;
  type?: string;
  function: { name: string; arguments: string };
}

interface ChoiceParts {
  index: number;
  role: string;
  content: string | null;
  refusal: string | null;
  toolCalls: Map<number, ToolCallParts>;
  finishReason: string | null;
}

type Delta = {
  role?: unknown;
  content?: unknown;
  refusal?: unknown;
  tool_calls?: unknown;
};

export function assembleStream(sse: string, truncated: boolean): string {
  const choices = new Map<number, ChoiceParts>();
  let id: unknown = null;
  let model: unknown = null;
  let usage: unknown = null;
  let error: unknown = null;
  let object = "chat.completion";

  for (const event of sse.split(/\r?\n\r?\n/)) {
    const data = eventData(event);
    if (data === null || data === "[DONE]") continue;
    let chunk: Record<string, unknown>;
    try {
      chunk = JSON.parse(data) as Record<string, unknown>;
    } catch {
      continue; // the last event cut by the capture limit
    }
    if (chunk.error) error = chunk.error;
    id ??= chunk.id ?? null;
    model ??= chunk.model ?? null;
    if (chunk.object === "text_completion") object = "text_completion";
    if (chunk.usage) usage = chunk.usage;
    if (!Array.isArray(chunk.choices)) continue;
    for (const c of chunk.choices as Record<string, unknown>[]) {
      if (!c || typeof c !== "object") continue;
      const index = typeof c.index === "number" ? c.index : 0;
      let parts = choices.get(index);
      if (!parts) {
        parts = {
          index,
          role: "assistant",
          content: null,
          refusal: null,
          toolCalls: new Map(),
          finishReason: null,
        };
        choices.set(index, parts);
      }
      if (typeof c.finish_reason === "string") parts.finishReason = c.finish_reason;
      if (typeof c.text === "string") parts.content = (parts.content ?? "") + c.text; // legacy completions
      const delta = c.delta as Delta | undefined;
      if (!delta || typeof delta !== "object") continue;
      if (typeof delta.role === "string") parts.role = delta.role;
      if (typeof delta.content === "string") parts.content = (parts.content ?? "") + delta.content;
      if (typeof delta.refusal === "string") parts.refusal = (parts.refusal ?? "") + delta.refusal;
      if (Array.isArray(delta.tool_calls)) {
        for (const t of delta.tool_calls as Record<string, unknown>[]) {
          const ti = typeof t?.index === "number" ? t.index : 0;
          let call = parts.toolCalls.get(ti);
          if (!call) {
            call = { function: { name: "", arguments: "" } };
            parts.toolCalls.set(ti, call);
          }
          if (typeof t.id === "string") call.id = t.id;
          if (typeof t.type === "string") call.type = t.type;
          const fn = t.function as { name?: unknown; arguments?: unknown } | undefined;
          if (typeof fn?.name === "string") call.function.name += fn.name;
          if (typeof fn?.arguments === "string") call.function.arguments += fn.arguments;
        }
      }
    }
  }

  const assembled = [...choices.values()]
    .sort((a, b) => a.index - b.index)
    .map((c) =>
      object === "text_completion"
        ? { index: c.index, text: c.content ?? "", finish_reason: c.finishReason }
        : {
            index: c.index,
            message: {
              role: c.role,
              content: c.content,
              ...(c.refusal !== null ? { refusal: c.refusal } : {}),
              ...(c.toolCalls.size > 0
                ? {
                    tool_calls: [...c.toolCalls.entries()]
                      .sort(([a], [b]) => a - b)
                      .map(([, t]) => ({
                        id: t.id ?? null,
                        type: t.type ?? "function",
                        function: t.function,
                      })),
                  }
                : {}),
            },
            finish_reason: c.finishReason,
          },
    );
  return JSON.stringify({
    id,
    object,
    model,
    choices: assembled,
    usage,
    ...(error ? { error } : {}),
    ...(truncated ? { truncated: true } : {}),
  });
}
