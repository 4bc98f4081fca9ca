import type { GuardHit } from "./guard-hit";
import type { OutputGuard, TextChannel } from "./output-guard";

/**
 * Output guardrails on an OpenAI-format SSE stream: each `data:` event's text deltas
 * (`choices[].delta.content`, `choices[].text`) go through one `TextChannel` per choice, which
 * may hold some text back; held text goes out with the choice's finish event (or in one event
 * of its own before `[DONE]`). Events without text pass through untouched. A block throws the
 * error `onBlock` makes: the relay then ends the stream with that error event, never `[DONE]`.
 *
 * Tool-call argument deltas are passed through as they are (placeholders split across their
 * deltas are not restored).
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

const SEPARATOR = /\r?\n\r?\n/;

function eventData(event: string): string | null {
  let data: string | null = null;
  for (const line of event.split(/\r\n|\n|\r/)) {
    if (!line.startsWith("data:")) continue;
    const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
    data = data === null ? value : `${data}\n${value}`;
  }
  return data;
}

export class SseGuard {
  private readonly decoder = new TextDecoder();
  private readonly encoder = new TextEncoder();
  private carry = "";
  private readonly channels = new Map<number, TextChannel>();
  private meta: Json = {};
  private ended = false;

  constructor(
    private readonly guard: OutputGuard,
    private readonly onBlock: (hit: GuardHit) => Error,
  ) {}

  /** One upstream chunk in; the bytes to pass on (null: nothing yet). Throws on a block. */
  push(chunk: Uint8Array): Uint8Array | null {
    const text = this.carry + this.decoder.decode(chunk, { stream: true });
    const parts = text.split(SEPARATOR);
    this.carry = parts.pop()!;
    if (parts.length === 0) return null;
    let out = "";
    for (const event of parts) out += this.event(event);
    return out.length > 0 ? this.encoder.encode(out) : null;
  }

  /** The upstream ended: what is left (held text included). Throws on a block. */
  end(): Uint8Array | null {
    const rest = this.carry + this.decoder.decode();
    this.carry = "";
    let out = rest.trim() === "" ? "" : this.event(rest);
    if (!this.ended) out += this.flushAll();
    return out.length > 0 ? this.encoder.encode(out) : null;
  }

  private channel(index: number): TextChannel {
    let ch = this.channels.get(index);
    if (ch === undefined) {
      ch = this.guard.channel(`choices[${index}]`);
      this.channels.set(index, ch);
    }
    return ch;
  }

  private check(block: GuardHit | null): void {
    if (block !== null) throw this.onBlock(block);
  }

  /** Held text of every choice, as events of their own, then the whole-answer checks. */
  private flushAll(): string {
    this.ended = true;
    let out = "";
    for (const [index, ch] of this.channels) {
      if (!ch.holding) continue;
      const released = ch.release(true);
      this.check(released.block);
      if (released.text.length === 0) continue;
      const chunk = {
        ...this.meta,
        choices: [{ index, delta: { content: released.text }, logprobs: null, finish_reason: null }],
      };
      out += `data: ${JSON.stringify(chunk)}\n\n`;
    }
    const first = this.channels.get(0);
    if (first?.whole) this.check(this.guard.checkJson(first.whole.join(""), first.location));
    return out;
  }

  private event(raw: string): string {
    const data = eventData(raw);
    if (data === null) return `${raw}\n\n`;
    if (data.trim() === "[DONE]") return this.flushAll() + `${raw}\n\n`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return `${raw}\n\n`;
    }
    if (!isObject(parsed) || !Array.isArray(parsed.choices) || parsed.choices.length === 0) return `${raw}\n\n`;
    let changed = false;
    for (const choice of parsed.choices as unknown[]) {
      if (!isObject(choice)) continue;
      const index = typeof choice.index === "number" ? choice.index : 0;
      const delta = isObject(choice.delta) ? choice.delta : null;
      const holder = delta ?? (typeof choice.text === "string" ? choice : null);
      const field = delta !== null ? "content" : "text";
      const finishing = choice.finish_reason !== null && choice.finish_reason !== undefined;
      const value = holder?.[field];
      if (typeof value !== "string" && !finishing) continue;
      const ch = this.channel(index);
      if (typeof value === "string") ch.push(value);
      if (!ch.holding) continue;
      const released = ch.release(finishing);
      this.check(released.block);
      if (holder !== null) holder[field] = released.text;
      else choice.delta = { content: released.text };
      changed = true;
    }
    if (this.meta.id === undefined) {
      this.meta = { id: parsed.id, object: parsed.object, created: parsed.created, model: parsed.model };
    }
    return changed ? `data: ${JSON.stringify(parsed)}\n\n` : `${raw}\n\n`;
  }
}

/** `upstream` with the guard applied to every event. */
export function guardSseStream(
  upstream: ReadableStream<Uint8Array>,
  guard: OutputGuard,
  onBlock: (hit: GuardHit) => Error,
): ReadableStream<Uint8Array> {
  const sse = new SseGuard(guard, onBlock);
  return upstream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const out = sse.push(chunk);
        if (out !== null) controller.enqueue(out);
      },
      flush(controller) {
        const out = sse.end();
        if (out !== null) controller.enqueue(out);
      },
    }),
  );
}
