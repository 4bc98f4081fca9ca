import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";
import { NEVER_ABORTED_SIGNAL, ProviderError, type ProviderTimeouts } from "../types";
import {
  ERROR_BODY_LIMIT,
  httpError,
  privateUpstreamRefused,
  transportError,
} from "./upstream-errors";
import { parseBaseURL, poolFor } from "./upstream-pools";

/**
 * One HTTP exchange with an upstream, on a pooled keep-alive connection, with the provider's
 * timeouts:
 *  - connect: the pool's connect timeout;
 *  - first byte: request sent → response headers (JSON calls) or → first body byte (streams);
 *  - idle: longest silence between two body chunks (undici's body timeout);
 *  - total: the whole exchange, start to last byte.
 * Transport failures and non-2xx answers reject with a ProviderError (credential redacted).
 */
export interface UpstreamRequest {
  baseURL: string;
  /** Appended to the base URL's path: `/chat/completions`. */
  path: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  timeouts: ProviderTimeouts;
  signal: AbortSignal;
  /** The upstream credential: redacted from every error message kept. */
  secret?: string;
  /** Another way to cancel (see CallOptions.onCancel). */
  onCancel?(cancel: () => void): void;
  /** Connect to public addresses only (ProviderConfig.publicAddressesOnly). */
  publicAddressesOnly?: boolean;
}

export interface UpstreamReply {
  status: number;
  headers: IncomingHttpHeaders;
  /** The whole body, decoded as UTF-8. */
  text: string;
}

/** A successful JSON answer larger than this is refused (a misbehaving upstream must not exhaust memory). */
export const MAX_REPLY_BYTES = 64 * 1024 * 1024;

/** Calls the upstream and resolves with its whole (2xx) answer. */
export function requestUpstream(request: UpstreamRequest): Promise<UpstreamReply> {
  return new Promise((resolve, reject) => {
    new Exchange(request, false, resolve as (v: unknown) => void, reject).start();
  });
}

/**
 * Calls the upstream and resolves, at the first body byte of a 2xx answer, with the body as a
 * byte stream. Backpressure reaches the socket (the exchange pauses while the stream is full);
 * cancelling the stream aborts the exchange. Failures after that error the stream.
 */
export function streamUpstream(request: UpstreamRequest): Promise<ReadableStream<Uint8Array>> {
  return new Promise((resolve, reject) => {
    new Exchange(request, true, resolve as (v: unknown) => void, reject).start();
  });
}

/**
 * A transformation run inside a stream returned by `streamUpstream`, on each chunk as it arrives,
 * so that a consumer that rewrites the stream (the gateway's SSE relay) needs no second stream
 * (and no second promise per chunk). With a tap, the stream never errors: `error` supplies the
 * final bytes and the stream closes.
 */
export interface StreamTap {
  /** Bytes to pass on for this chunk (null: nothing yet). May throw: the exchange then fails. */
  chunk(data: Buffer): Buffer | null;
  /** The upstream finished: final bytes to pass on, if any. */
  end(): Buffer | null;
  /** The exchange failed (upstream, timeout, abort): final bytes to pass on, if any. */
  error(err: unknown): Buffer | null;
  /** The consumer cancelled the stream. */
  cancel(): void;
}

/**
 * Where a piped stream's bytes go instead of the ReadableStream: a node:http ServerResponse,
 * written directly (one less stream layer and one promise less per chunk).
 */
export interface ByteSink {
  /** False: stop until `onDrain`. */
  write(data: Buffer): boolean;
  end(): void;
  onDrain(listener: () => void): void;
}

const tappable = new WeakMap<ReadableStream<Uint8Array>, Exchange>();

/**
 * Installs `tap` on a stream from `streamUpstream` that nobody has read yet. False when the
 * stream is not one (another adapter's) or was already read: the caller then wraps it instead.
 */
export function tapUpstreamStream(stream: ReadableStream<Uint8Array>, tap: StreamTap): boolean {
  const exchange = tappable.get(stream);
  return exchange !== undefined && exchange.claim(tap, null);
}

/**
 * Like `tapUpstreamStream`, and writes the result straight into `sink` (with its backpressure)
 * instead of the stream, which is then never read.
 */
export function pipeUpstreamStream(
  stream: ReadableStream<Uint8Array>,
  tap: StreamTap,
  sink: ByteSink,
): boolean {
  const exchange = tappable.get(stream);
  return exchange !== undefined && exchange.claim(tap, sink);
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const err = new Error(typeof reason === "string" ? reason : "The request was aborted.");
  err.name = "AbortError";
  return err;
}

class Exchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null;
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private chunks: Buffer[] = [];
  private size = 0;
  private responded = false;
  /** The promise was settled (resolved with a reply/stream or rejected). */
  private settled = false;
  /** The exchange is over: no more callbacks are acted on. */
  private finished = false;
  /** Why we aborted (timeout, client gone), reported instead of undici's own abort error. */
  private abortReason: Error | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly startedAt = Date.now();

  // Streams
  private out: ReadableStreamDefaultController<Uint8Array> | null = null;
  /** Chunks received before anyone claimed the stream (read it or tapped it). */
  private pending: Buffer[] | null = null;
  /** How the exchange ended while unclaimed: replayed on claim. */
  private pendingEnd: { error: unknown } | null = null;
  private claimed = false;
  private tap: StreamTap | null = null;
  private sink: ByteSink | null = null;
  private waitingForDrain = false;
  private paused = false;
  private cancelled = false;

  constructor(
    private readonly request: UpstreamRequest,
    private readonly stream: boolean,
    private readonly resolve: (value: unknown) => void,
    private readonly reject: (err: unknown) => void,
  ) {}

  start(): void {
    const { request } = this;
    if (request.signal.aborted) {
      this.finish();
      this.settle(abortError(request.signal));
      return;
    }
    let origin: string;
    let path: string;
    const publicOnly = request.publicAddressesOnly === true;
    try {
      const base = parseBaseURL(request.baseURL);
      if (publicOnly && base.privateLiteralHost) {
        this.finish();
        this.settle(privateUpstreamRefused(new URL(base.origin).hostname));
        return;
      }
      origin = base.origin;
      path = base.basePath + request.path;
    } catch {
      this.finish();
      this.settle(
        new ProviderError({
          message: "the provider's base URL is invalid",
          status: 502,
          kind: "connect",
          isRetryable: false,
        }),
      );
      return;
    }
    const { timeouts } = request;
    this.arm(Math.min(timeouts.firstByteMs, timeouts.totalMs), "first-byte");
    if (request.signal !== NEVER_ABORTED_SIGNAL) {
      request.signal.addEventListener("abort", this.onAbortSignal);
    }
    request.onCancel?.(this.onCancelled);
    poolFor(origin, timeouts.connectMs, publicOnly).dispatch(
      {
        path,
        method: request.method,
        headers: request.headers,
        body: request.body,
        headersTimeout: 0,
        bodyTimeout: timeouts.idleMs,
      },
      this,
    );
  }

  // ----------------------------------------------------------------------------- undici handler

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortReason) controller.abort(this.abortReason);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    if (this.finished || statusCode < 200) return;
    this.status = statusCode;
    this.headers = headers;
    this.responded = true;
    // Streams wait for their first body byte; everything else got its answer now.
    if (!(this.stream && this.ok)) this.arm(this.remainingTotal(), "total");
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.finished) return;
    if (this.stream && this.ok) {
      if (this.out === null) {
        this.arm(this.remainingTotal(), "total");
        this.openStream(chunk);
      } else if (this.pending !== null) {
        // Nobody has taken the stream yet: hold what arrived, and stop reading until someone does.
        this.pending.push(chunk);
        if (!this.paused) {
          this.paused = true;
          controller.pause();
        }
      } else {
        this.deliver(chunk, controller);
      }
      return;
    }
    const limit = this.ok ? MAX_REPLY_BYTES : ERROR_BODY_LIMIT;
    if (this.size >= limit) {
      if (this.ok) {
        this.abort(
          new ProviderError({
            message: `the upstream answer exceeded ${limit} bytes`,
            status: 502,
            kind: "protocol",
          }),
        );
      }
      return; // error bodies: keep the start, drop the rest
    }
    const kept =
      this.ok || this.size + chunk.length <= limit ? chunk : chunk.subarray(0, limit - this.size);
    this.chunks.push(kept);
    this.size += kept.length;
  }

  onResponseEnd(): void {
    if (this.finished) return;
    this.finish();
    if (!this.ok) {
      this.settle(httpError(this.status, this.headers, this.bodyText(), this.request.secret));
    } else if (!this.stream) {
      this.settle(null, { status: this.status, headers: this.headers, text: this.bodyText() });
    } else if (this.out !== null) {
      this.endStream(null);
    } else {
      this.settle(
        new ProviderError({
          message: "the upstream answered with an empty stream",
          status: 502,
          kind: "protocol",
        }),
      );
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, err: Error): void {
    if (this.finished) return;
    this.finish();
    if (this.cancelled) return;
    const error =
      this.abortReason ??
      transportError(err, { responded: this.responded, timeouts: this.request.timeouts });
    if (this.out !== null) this.endStream({ error });
    else this.settle(error);
  }

  // ----------------------------------------------------------------------------- streams

  private openStream(first: Buffer): void {
    this.pending = [first];
    const body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.out = controller;
        },
        pull: () => {
          if (!this.claimed) this.claim(null, null);
          else if (this.paused) {
            this.paused = false;
            this.controller?.resume();
          }
        },
        cancel: () => {
          this.cancelled = true;
          this.tap?.cancel();
          const err = new Error("The stream was cancelled.");
          err.name = "AbortError";
          this.abort(err);
        },
      },
      // Nothing is queued ahead of the reader: chunks wait in the socket (backpressure).
      { highWaterMark: 0 },
    );
    tappable.set(body, this);
    this.settle(null, body);
  }

  /** The first reader (tap = null) or tapper takes the stream: what arrived meanwhile goes out now. */
  claim(tap: StreamTap | null, sink: ByteSink | null): boolean {
    if (this.claimed) return false;
    this.claimed = true;
    this.tap = tap;
    this.sink = sink;
    const pending = this.pending ?? [];
    this.pending = null;
    for (const chunk of pending) {
      if (this.cancelled || this.out === null) break;
      this.deliver(chunk, this.controller);
    }
    const ended = this.pendingEnd;
    this.pendingEnd = null;
    if (ended !== null && !this.cancelled) this.endStream(ended.error === null ? null : ended);
    else if (
      this.paused &&
      !this.waitingForDrain &&
      (sink !== null || (this.out?.desiredSize ?? 0) >= 0)
    ) {
      this.paused = false;
      this.controller?.resume();
    }
    return true;
  }

  private deliver(chunk: Buffer, controller: Dispatcher.DispatchController | null): void {
    const out = this.out!;
    let data: Buffer | null = chunk;
    if (this.tap !== null) {
      try {
        data = this.tap.chunk(chunk);
      } catch (err) {
        // The consumer refused the data (e.g. an endless event): end the exchange.
        this.finish();
        this.controller?.abort(err instanceof Error ? err : new Error(String(err)));
        this.endStream({ error: err });
        return;
      }
      if (data === null) return;
    }
    if (this.sink !== null) {
      if (!this.sink.write(data) && !this.waitingForDrain) {
        this.waitingForDrain = true;
        if (!this.paused && controller !== null) {
          this.paused = true;
          controller.pause();
        }
        this.sink.onDrain(this.onSinkDrain);
      }
      return;
    }
    out.enqueue(data);
    if ((out.desiredSize ?? 0) < 0 && controller !== null && !this.paused) {
      this.paused = true;
      controller.pause();
    }
  }

  /** Ends the stream: cleanly (null) or with `{ error }`. Unclaimed streams end when claimed. */
  private endStream(end: { error: unknown } | null): void {
    if (this.pending !== null) {
      this.pendingEnd = end ?? { error: null };
      return;
    }
    const out = this.out!;
    if (this.tap !== null) {
      const last = end === null ? this.tap.end() : this.tap.error(end.error);
      this.tap = null;
      if (this.sink !== null) {
        if (last !== null) this.sink.write(last);
        this.sink.end();
        return;
      }
      if (last !== null) out.enqueue(last);
      out.close();
    } else if (end === null) {
      out.close();
    } else {
      out.error(end.error);
    }
  }

  // ----------------------------------------------------------------------------- internals

  private get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  private bodyText(): string {
    const { chunks } = this;
    if (chunks.length === 0) return "";
    const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.size);
    this.chunks = [];
    return buf.toString("utf8");
  }

  private remainingTotal(): number {
    return Math.max(1, this.request.timeouts.totalMs - (Date.now() - this.startedAt));
  }

  private arm(ms: number, phase: "first-byte" | "total"): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onTimeout(phase), ms);
  }

  private onTimeout(phase: "first-byte" | "total"): void {
    this.timer = undefined;
    const { timeouts } = this.request;
    const byTotal = phase === "total" || timeouts.totalMs <= timeouts.firstByteMs;
    this.abort(
      new ProviderError({
        message: byTotal
          ? `the upstream did not finish within ${timeouts.totalMs} ms`
          : `the upstream did not respond within ${timeouts.firstByteMs} ms`,
        status: 504,
        kind: "timeout",
      }),
    );
  }

  private readonly onAbortSignal = (): void => {
    this.abort(abortError(this.request.signal));
  };

  private readonly onSinkDrain = (): void => {
    this.waitingForDrain = false;
    if (this.paused && !this.finished) {
      this.paused = false;
      this.controller?.resume();
    }
  };

  private readonly onCancelled = (): void => {
    const err = new Error("The client closed the request.");
    err.name = "AbortError";
    this.abort(err);
  };

  /** Ends the exchange with `reason`: aborts the socket (or, if not dispatched yet, as soon as it is). */
  private abort(reason: Error): void {
    if (this.finished) return;
    this.abortReason = reason;
    if (this.controller) {
      this.controller.abort(reason); // → onResponseError with our reason
      if (!this.finished) this.onResponseError(undefined, reason);
    } else {
      // Still queued or connecting: report now; onRequestStart aborts it if it ever starts.
      this.finish();
      if (this.out !== null) {
        if (!this.cancelled) this.endStream({ error: reason });
      } else this.settle(reason);
    }
  }

  /** Stops the timers and the abort listener; later undici callbacks are ignored. */
  private finish(): void {
    this.finished = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.request.signal !== NEVER_ABORTED_SIGNAL) {
      this.request.signal.removeEventListener("abort", this.onAbortSignal);
    }
  }

  private settle(error: unknown, value?: unknown): void {
    if (this.settled) return;
    this.settled = true;
    if (error) this.reject(error);
    else this.resolve(value);
  }
}
