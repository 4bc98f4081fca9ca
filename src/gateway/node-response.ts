import type { ServerResponse } from "node:http";

type PlainBody = string | Uint8Array | ReadableStream<Uint8Array> | null;

/**
 * The responses of the node:http fast path: status, a plain header object and the body, kept as
 * given so they are written to the socket without building a `Headers` or a web stream. The rest
 * of the `Response` surface (headers, body, text(), json()) is built on demand, for code that
 * reads a response the usual way (tests, the web host).
 */
export class PlainResponse {
  readonly status: number;
  readonly plainHeaders: Record<string, string>;
  readonly plainBody: PlainBody;
  #standard: Response | null = null;

  constructor(body?: BodyInit | null, init?: ResponseInit) {
    this.status = init?.status ?? 200;
    this.plainHeaders = (init?.headers as Record<string, string> | undefined) ?? {};
    this.plainBody = (body as PlainBody | undefined) ?? null;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  private standard(): Response {
    return (this.#standard ??= new Response(this.plainBody as BodyInit | null, {
      status: this.status,
      headers: this.plainHeaders,
    }));
  }

  get headers(): Headers {
    return this.standard().headers;
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.standard().body;
  }

  text(): Promise<string> {
    return this.standard().text();
  }

  json(): Promise<unknown> {
    return this.standard().json();
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.standard().arrayBuffer();
  }
}

/** Marker header of a response the handler already wrote to the socket itself. */
const ALREADY_SENT = "x-hono-already-sent";

async function pipeStream(
  stream: ReadableStream<Uint8Array>,
  res: ServerResponse,
): Promise<void> {
  const reader = stream.getReader();
  const onClose = () => void reader.cancel().catch(() => {});
  res.once("close", onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return;
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          const go = () => {
            res.off("drain", go);
            res.off("close", go);
            resolve();
          };
          res.on("drain", go);
          res.on("close", go);
        });
      }
    }
    res.end();
  } catch {
    // The stream failed after the head went out: end the connection rather than the body.
    res.destroy();
  } finally {
    res.off("close", onClose);
  }
}

/** Writes a gateway response to node:http. */
export async function writeNodeResponse(response: Response, res: ServerResponse): Promise<void> {
  if (response instanceof PlainResponse) {
    const body = response.plainBody;
    if (body === null || typeof body === "string" || body instanceof Uint8Array) {
      const length = body === null ? 0 : typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
      const headers = response.plainHeaders;
      headers["content-length"] = String(length);
      res.writeHead(response.status, headers);
      res.end(body ?? undefined);
      return;
    }
    res.writeHead(response.status, response.plainHeaders);
    res.flushHeaders();
    return pipeStream(body, res);
  }
  // A standard Response: the "already sent" marker, or a response built elsewhere.
  if (response.headers.get(ALREADY_SENT) !== null) return;
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  if (response.body === null) {
    res.end();
    return;
  }
  res.flushHeaders();
  return pipeStream(response.body, res);
}
