import {
  pipeUpstreamStream,
  tapUpstreamStream,
  type ByteSink,
} from "~/providers/http/upstream-call";
import { usageFromOpenAI } from "~/providers/openai/usage";
import { ProviderError, type Usage } from "~/providers/types";
import { GatewayError } from "../gateway-error";

/**
 * Passes an upstream's OpenAI-format SSE stream to the client chunk by chunk, with backpressure
 * (it reads upstream only when the client's side wants more), and without parsing every chunk:
 *
 *  - Bytes are forwarded whole events at a time. An event split across network chunks waits
 *    for its end (an SSE client cannot use half an event anyway).
 *  - The usage event is found by scanning for a raw `"usage":{` (inside JSON strings the quotes
 *    are escaped, so it can only be a key) and only that event is parsed. The gateway always asks
 *    upstream for usage; when the client did not, the usage-only event (`"choices":[]`) is removed.
 *  - An upstream failure after bytes were sent ends the stream with one
 *    `data: {"error":{…,"code":"upstream_stream_error"}}` event and no `[DONE]`. An upstream that
 *    ends cleanly without `[DONE]` gets one appended when it reported a finish reason, and the
 *    error event otherwise: the client never sees a truncated answer end silently.
 *  - Cancelling (client gone) cancels the upstream at once.
 * Exactly one `onEnd` call reports the outcome with usage, finish reason and (bounded) capture.
 */

export type RelayOutcome = "complete" | "upstream_error" | "client_abort";

export interface RelaySummary {
  outcome: RelayOutcome;
  /** What failed (upstream_error), else null. */
  error: unknown;
  usage: Usage | null;
  finishReason: string | null;
  /** The bytes passed to the client (first `captureLimit` bytes), when capturing. */
  captured: Buffer | null;
  capturedTruncated: boolean;
}

export interface RelayOptions {
  /** Remove the usage-only event (the client did not ask for `include_usage`). */
  stripUsage: boolean;
  /** Keep up to this many bytes of what was sent (for the request log); 0 = keep nothing. */
  captureLimit: number;
  /** The message of the final error event for an upstream failure. */
  failureMessage(err: unknown): string;
  /** True when the client is gone: a failure then is its disconnect, not the upstream's. */
  clientGone?(): boolean;
  onEnd(summary: RelaySummary): void;
}

/** An event longer than this is an upstream fault (memory stays bounded). */
export const MAX_EVENT_BYTES = 8 * 1024 * 1024;

const LF2 = Buffer.from("\n\n");
const CRLF2 = Buffer.from("\r\n\r\n");
const USAGE_KEY = Buffer.from('"usage":');
const FINISH_KEY = Buffer.from('"finish_reason":');
const DONE_EVENT = Buffer.from("data: [DONE]\n\n");

const asBuffer = (u: Uint8Array): Buffer =>
  Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);

function isSpace(c: number | undefined): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Event separators seen so far: once a stream shows `\n\n`, `\r\n\r\n` is not searched for. */
export type Separators = "unknown" | "lf" | "crlf";

/** Offset just past the last complete event in `data` (after its blank line), or -1. */
export function lastEventEnd(data: Buffer, separators: Separators = "unknown"): number {
  // The stream's usual separator first; the other one only when that finds nothing.
  if (separators === "lf") {
    const lf = data.lastIndexOf(LF2);
    if (lf >= 0) return lf + 2;
  } else if (separators === "crlf") {
    const crlf = data.lastIndexOf(CRLF2);
    if (crlf >= 0) return crlf + 4;
  }
  const lf = data.lastIndexOf(LF2);
  const crlf = data.lastIndexOf(CRLF2);
  const a = lf < 0 ? -1 : lf + 2;
  const b = crlf < 0 ? -1 : crlf + 4;
  return a > b ? a : b;
}

function eventStart(data: Buffer, at: number): number {
  const lf = at < 1 ? -1 : data.lastIndexOf(LF2, at - 1);
  const crlf = at < 1 ? -1 : data.lastIndexOf(CRLF2, at - 1);
  return Math.max(lf < 0 ? 0 : lf + 2, crlf < 0 ? 0 : crlf + 4);
}

function eventEnd(data: Buffer, at: number): number {
  const lf = data.indexOf(LF2, at);
  const crlf = data.indexOf(CRLF2, at);
  const a = lf < 0 ? data.length : lf + 2;
  const b = crlf < 0 ? data.length : crlf + 4;
  return a < b ? a : b;
}

/** The `data:` payload of one event (lines joined with \n, per the SSE spec). */
export function eventData(event: string): string | null {
  let data: string | null = null;
  for (const line of event.split(/\r\n|\n|\r/)) {
    if (!line.startsWith("data:")) continue;
    const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
    data = data === null ? value : `${data}\n${value}`;
  }
  return data;
}

/** Position of a `"usage":{` (optional spaces) at or after `from`, or -1. */
function usageObjectAt(data: Buffer, from: number): number {
  let at = data.indexOf(USAGE_KEY, from);
  while (at >= 0) {
    let i = at + USAGE_KEY.length;
    while (isSpace(data[i])) i++;
    if (data[i] === 123 /* { */) return at;
    at = data.indexOf(USAGE_KEY, at + 1);
  }
  return -1;
}

/** The first non-null finish reason in `data`, or null. */
function finishReasonIn(data: Buffer): string | null {
  let at = data.indexOf(FINISH_KEY);
  while (at >= 0) {
    let i = at + FINISH_KEY.length;
    while (isSpace(data[i])) i++;
    if (data[i] === 34 /* " */) {
      const end = data.indexOf(34, i + 1);
      if (end > i && end - i <= 65) return data.toString("latin1", i + 1, end);
    }
    at = data.indexOf(FINISH_KEY, at + 1);
  }
  return null;
}

export function errorEvent(message: string): Buffer {
  return Buffer.from(
    `data: ${JSON.stringify({
      error: { message, type: "server_error", param: null, code: "upstream_stream_error" },
    })}\n\n`,
  );
}

/** The stream state machine, independent of web streams (unit-tested on its own). */
export class SseRelayState {
  private carry: Buffer | null = null;
  private separators: Separators = "unknown";
  usage: Usage | null = null;
  finishReason: string | null = null;
  sawDone = false;
  private captured: Buffer[] | null;
  private capturedBytes = 0;
  capturedTruncated = false;

  constructor(private readonly options: Pick<RelayOptions, "stripUsage" | "captureLimit">) {
    this.captured = options.captureLimit > 0 ? [] : null;
  }

  /** Takes one upstream chunk; returns the bytes to send now (null: nothing yet). */
  push(chunk: Uint8Array): Buffer | null {
    const incoming = asBuffer(chunk);
    const data = this.carry === null ? incoming : Buffer.concat([this.carry, incoming]);
    const end = lastEventEnd(data, this.separators);
    if (this.separators === "unknown" && end >= 0) {
      this.separators = data[end - 2] === 13 /* \r */ ? "crlf" : "lf";
    }
    if (end < 0) {
      if (data.length > MAX_EVENT_BYTES) {
        throw new ProviderError({
          message: `the upstream sent an event larger than ${MAX_EVENT_BYTES} bytes`,
          status: 502,
          kind: "protocol",
        });
      }
      this.carry = data;
      return null;
    }
    this.carry = end < data.length ? data.subarray(end) : null;
    return this.emit(end < data.length ? data.subarray(0, end) : data);
  }

  /** The upstream ended cleanly: what is left to send (a final event without its blank line). */
  flush(): Buffer | null {
    const rest = this.carry;
    this.carry = null;
    if (rest === null || rest.toString("utf8").trim() === "") return null;
    return this.emit(Buffer.concat([rest, LF2]));
  }

  private emit(events: Buffer): Buffer | null {
    let out = events;
    let at = usageObjectAt(out, 0);
    while (at >= 0) {
      const start = eventStart(out, at);
      const end = eventEnd(out, at);
      let drop = false;
      try {
        const payload = eventData(out.toString("utf8", start, end));
        const parsed =
          payload === null ? null : (JSON.parse(payload) as { usage?: unknown; choices?: unknown });
        const usage = usageFromOpenAI(parsed?.usage);
        if (usage) this.usage = usage;
        drop =
          this.options.stripUsage && Array.isArray(parsed?.choices) && parsed.choices.length === 0;
      } catch {
        // Not JSON after all: pass it on untouched.
      }
      if (drop) {
        out = Buffer.concat([out.subarray(0, start), out.subarray(end)]);
        at = usageObjectAt(out, start);
      } else {
        at = usageObjectAt(out, end);
      }
    }
    if (this.finishReason === null) this.finishReason = finishReasonIn(out);
    if (!this.sawDone && out.length > 0 && out.includes("[DONE]", Math.max(0, out.length - 32))) {
      this.sawDone = true;
    }
    if (out.length === 0) return null;
    this.capture(out);
    return out;
  }

  capture(out: Buffer): void {
    if (this.captured === null) return;
    const room = this.options.captureLimit - this.capturedBytes;
    if (room <= 0) {
      this.capturedTruncated = true;
      return;
    }
    const kept = out.length <= room ? out : out.subarray(0, room);
    if (kept.length < out.length) this.capturedTruncated = true;
    this.captured.push(kept);
    this.capturedBytes += kept.length;
  }

  capturedBody(): Buffer | null {
    return this.captured === null ? null : Buffer.concat(this.captured, this.capturedBytes);
  }
}

/**
 * What the relay does at each step, independent of how the bytes travel: tapped into the
 * upstream exchange's own stream (fast path, one stream) or wrapped around any other stream.
 */
class RelayCore {
  readonly state: SseRelayState;
  private ended = false;

  constructor(private readonly options: RelayOptions) {
    this.state = new SseRelayState(options);
  }

  get done(): boolean {
    return this.ended;
  }

  chunk(data: Uint8Array): Buffer | null {
    return this.ended ? null : this.state.push(data);
  }

  /** The upstream ended cleanly: the rest, plus `[DONE]` if it was missing (or the error event). */
  end(): Buffer | null {
    if (this.ended) return null;
    const rest = this.state.flush();
    if (!this.state.sawDone) {
      if (this.state.finishReason === null) {
        const failure = this.error(
          new ProviderError({
            message: "the upstream ended the stream before it was complete",
            status: 502,
            kind: "protocol",
          }),
        );
        return rest === null ? failure : Buffer.concat([rest, failure!]);
      }
      this.state.capture(DONE_EVENT);
      this.finish("complete", null);
      return rest === null ? DONE_EVENT : Buffer.concat([rest, DONE_EVENT]);
    }
    this.finish("complete", null);
    return rest;
  }

  /** The upstream failed after the first byte: the final error event (nothing if the client left). */
  error(err: unknown): Buffer | null {
    if (this.ended) return null;
    if (this.options.clientGone?.()) {
      this.finish("client_abort", null);
      return null;
    }
    // A guardrail block keeps its own code (`content_policy_violation`); upstream faults get theirs.
    const event =
      err instanceof GatewayError
        ? Buffer.from(`data: ${JSON.stringify(err.toBody())}\n\n`)
        : errorEvent(this.options.failureMessage(err));
    this.state.capture(event);
    this.finish("upstream_error", err);
    return event;
  }

  cancel(): void {
    this.finish("client_abort", null);
  }

  private finish(outcome: RelayOutcome, error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    const { state } = this;
    this.options.onEnd({
      outcome,
      error,
      usage: state.usage,
      finishReason: state.finishReason,
      captured: state.capturedBody(),
      capturedTruncated: state.capturedTruncated,
    });
  }
}

/**
 * Relays `upstream` straight into `sink` (a node:http response), when it is a stream from the
 * HTTP transport. False otherwise: use `openSseRelay`.
 */
export function pipeSseRelay(
  upstream: ReadableStream<Uint8Array>,
  options: RelayOptions,
  sink: ByteSink,
): boolean {
  return pipeUpstreamStream(upstream, new RelayCore(options), sink);
}

/**
 * Opens the client stream over `upstream`. A stream from the HTTP transport is relayed in place
 * (the relay runs inside it, chunk by chunk); any other stream is read until its first bytes are
 * ready to send. Either way an upstream that fails before its first byte rejects here (the
 * caller answers with a JSON error) instead of starting a 200.
 */
export async function openSseRelay(
  upstream: ReadableStream<Uint8Array>,
  options: RelayOptions,
): Promise<ReadableStream<Uint8Array>> {
  const core = new RelayCore(options);
  if (tapUpstreamStream(upstream, core)) return upstream;

  const reader = upstream.getReader();
  // Read until there is something to send (or the upstream fails / ends: thrown to the caller).
  let first: Buffer | null = null;
  try {
    while (first === null) {
      const { done, value } = await reader.read();
      if (done) {
        first = core.state.flush();
        if (first === null) {
          throw new ProviderError({
            message: "the upstream answered with an empty stream",
            status: 502,
            kind: "protocol",
          });
        }
        break;
      }
      first = core.state.push(value);
    }
  } catch (err) {
    void reader.cancel(err).catch(() => {});
    throw err;
  }

  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, err: unknown): void => {
    void reader.cancel(err).catch(() => {});
    const event = core.error(err);
    if (event !== null) controller.enqueue(event);
    controller.close();
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(first);
      },
      async pull(controller) {
        for (;;) {
          let result: ReadableStreamReadResult<Uint8Array>;
          try {
            result = await reader.read();
          } catch (err) {
            return fail(controller, err);
          }
          if (core.done) return;
          if (result.done) {
            const last = core.end();
            if (last !== null) controller.enqueue(last);
            return controller.close();
          }
          let out: Buffer | null;
          try {
            out = core.chunk(result.value);
          } catch (err) {
            return fail(controller, err);
          }
          if (out !== null) return controller.enqueue(out);
        }
      },
      cancel(reason) {
        core.cancel();
        return reader.cancel(reason).catch(() => {});
      },
    },
    { highWaterMark: 0 },
  );
}
