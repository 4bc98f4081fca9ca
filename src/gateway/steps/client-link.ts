import type { Context } from "hono";
import type { ByteSink } from "~/providers/http/upstream-call";
import { NEVER_ABORTED_SIGNAL, type CallOptions } from "~/providers/types";

/**
 * The connection to the client, as far as the core needs it: learning that the client left, and
 * — on node:http — writing a stream straight to the socket.
 *
 * On node:http the adapter hands Hono the ServerResponse as `c.env.outgoing`. One 'close'
 * listener on it tells us the client left without materializing the Request's AbortSignal (which
 * costs about a tenth of a proxied request's CPU), and a stream written to it directly skips a
 * web-stream layer per chunk. Elsewhere (Next route handlers) the Request's signal and a
 * ReadableStream response are used. The core only duck-types the object; it imports nothing.
 */
export interface ClientLink {
  signal: AbortSignal;
  onCancel?: CallOptions["onCancel"];
  gone(): boolean;
  /** The node:http response, when there is one. */
  response: NodeResponseLike | null;
}

export interface NodeResponseLike {
  once(event: "close" | "drain", listener: () => void): unknown;
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: Uint8Array): boolean;
  end(): unknown;
  readonly writableFinished: boolean;
  readonly writableEnded: boolean;
  readonly destroyed: boolean;
  readonly headersSent: boolean;
}

/** The standard Response, as it was when the core loaded (hosts may swap the global later). */
const StandardResponse = globalThis.Response;

/** Never aborts: on node:http cancellation goes through `onCancel` instead. */
const NEVER_ABORTED = NEVER_ABORTED_SIGNAL;

function nodeResponse(c: Context): NodeResponseLike | null {
  const outgoing = (c.env as { outgoing?: Partial<NodeResponseLike> } | undefined)?.outgoing;
  return outgoing &&
    typeof outgoing.once === "function" &&
    typeof outgoing.writeHead === "function" &&
    "writableFinished" in outgoing
    ? (outgoing as NodeResponseLike)
    : null;
}

export function clientLink(c: Context | undefined, request: Request): ClientLink {
  const response = c === undefined ? null : nodeResponse(c);
  if (response === null) {
    return { signal: request.signal, gone: () => request.signal.aborted, response: null };
  }
  return nodeClientLink(response);
}

/** The link over a node:http response: its 'close' before the answer finished means the client left. */
export function nodeClientLink(response: NodeResponseLike): ClientLink {
  let gone = false;
  let cancels: (() => void)[] | null = null;
  response.once("close", () => {
    if (response.writableFinished) return;
    gone = true;
    if (cancels) for (const cancel of cancels) cancel();
  });
  return {
    signal: NEVER_ABORTED,
    onCancel(cancel) {
      if (gone) cancel();
      else (cancels ??= []).push(cancel);
    },
    gone: () => gone,
    response,
  };
}

/**
 * An SSE response written straight to the node:http response. The head goes out with the first
 * bytes (one write, not two); writes after the client left are dropped.
 */
export function eventStreamSink(
  response: NodeResponseLike,
  headers: Record<string, string>,
): ByteSink {
  const open = (): boolean => {
    if (response.destroyed || response.writableEnded) return false;
    if (!response.headersSent) response.writeHead(200, headers);
    return true;
  };
  return {
    write: (data) => (open() ? response.write(data) : true),
    end() {
      if (open()) response.end();
    },
    onDrain(listener) {
      response.once("drain", listener);
    },
  };
}

/**
 * What the handler returns after writing the response itself: the node adapter's marker for
 * "already sent" (it writes nothing more). A standard Response: the adapter checks it only there.
 */
export function alreadySent(): Response {
  return new StandardResponse(null, { headers: { "x-hono-already-sent": "1" } });
}
