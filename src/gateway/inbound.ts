import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context } from "hono";
import { GatewayError } from "./gateway-error";
import { clientLink, nodeClientLink, type ClientLink, type NodeResponseLike } from "./steps/client-link";

/** Request headers as the core reads them: by lower-case name, repeated values joined. */
export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * One incoming API request, whatever served it: a web `Request` (Next route handlers, Hono) or
 * node:http's request and response (the self-hosted server's fast path for the inference
 * endpoints, which skips building a `Request`, a `Headers` and a router context per call).
 */
export interface Inbound {
  readonly method: string;
  /** Path and query, for error logs. */
  readonly path: string;
  readonly headers: HeaderSource;
  /** The body, refused with 413 as soon as it exceeds `limit` bytes. */
  readBody(limit: number): Promise<Uint8Array>;
  /** The connection to the client (disconnects, direct streaming on node:http). */
  link(): ClientLink;
}

export function tooLarge(limit: number): GatewayError {
  return new GatewayError(
    "request_too_large",
    413,
    `Request body too large: the limit is ${limit} bytes (${Math.round(limit / 1024 / 1024)} MB).`,
  );
}

/** Reads a body sent without Content-Length (chunked), stopping as soon as it exceeds the limit. */
async function readChunked(request: Request, limit: number): Promise<Uint8Array> {
  const reader = request.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      void reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

/** A web `Request` (with Hono's context when there is one, for node:http extras). */
export function webInbound(request: Request, c?: Context): Inbound {
  return {
    method: request.method,
    get path() {
      return pathOf(request.url);
    },
    headers: request.headers,
    async readBody(limit) {
      if (request.headers.get("content-length") !== null) {
        const bytes = new Uint8Array(await request.arrayBuffer());
        if (bytes.byteLength > limit) throw tooLarge(limit);
        return bytes;
      }
      return readChunked(request, limit);
    },
    link: () => clientLink(c, request),
  };
}

/** node:http's `IncomingHttpHeaders` behind `get` (node already lower-cases and joins them). */
class NodeHeaders implements HeaderSource {
  constructor(private readonly raw: IncomingMessage["headers"]) {}
  get(name: string): string | null {
    const value = this.raw[name];
    if (value === undefined) return null;
    return typeof value === "string" ? value : value.join(", ");
  }
}

/** Collects a node:http request body, refusing it (413) once it exceeds `limit`. */
function readNodeBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: unknown, value?: Uint8Array) => {
      if (done) return;
      done = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
      if (err) reject(err);
      else resolve(value!);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        // Stop buffering; node discards the rest of the body once the response is sent.
        finish(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () =>
      finish(null, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    const onError = (err: Error) => finish(err);
    const onClose = () => {
      if (!req.complete) {
        finish(new GatewayError("client_closed_request", 499, "The client closed the request."));
      }
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}

/** node:http's request and response as an Inbound. */
export function nodeInbound(req: IncomingMessage, res: ServerResponse): Inbound {
  return {
    method: req.method ?? "GET",
    path: req.url ?? "/",
    headers: new NodeHeaders(req.headers),
    readBody: (limit) => readNodeBody(req, limit),
    link: () => nodeClientLink(res as unknown as NodeResponseLike),
  };
}
