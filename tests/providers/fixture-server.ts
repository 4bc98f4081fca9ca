import { readFileSync } from "node:fs";
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export const FIXTURES_ROOT = path.join(import.meta.dirname, "..", "fixtures");
export const FIXTURES_DIR = path.join(FIXTURES_ROOT, "openai");

export interface FixtureRequest {
  path: string;
  body: Record<string, unknown>;
}

export interface FixtureResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  text?: string;
}

/** Readers for one provider's recorded exchanges under `tests/fixtures/<provider>/`. */
export function fixtureReader(provider: string) {
  const dir = path.join(FIXTURES_ROOT, provider);
  return {
    dir,
    readRequest: (name: string): FixtureRequest =>
      JSON.parse(readFileSync(path.join(dir, `${name}.request.json`), "utf8")),
    readResponse: (name: string): FixtureResponse =>
      JSON.parse(readFileSync(path.join(dir, `${name}.response.json`), "utf8")),
    readSse: (name: string): string => readFileSync(path.join(dir, `${name}.sse`), "utf8"),
  };
}

export const { readRequest, readResponse, readSse } = fixtureReader("openai");

/** JSON the way api.openai.com sends it (two-space indentation). */
export const openAIJson = (body: unknown) => JSON.stringify(body, null, 2);

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Handler = (req: Received, res: ServerResponse) => void;

/** A local HTTP server whose behaviour each test sets; records what it received. */
export async function startFixtureServer() {
  const received: Received[] = [];
  let handler: Handler = (_req, res) => {
    res.statusCode = 500;
    res.end("no handler");
  };
  const connections = { count: 0 };
  const closed: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const entry = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(entry);
      res.on("close", () => {
        if (!res.writableFinished) closed.push(entry.url);
      });
      handler(entry, res);
    });
  });
  server.on("connection", () => connections.count++);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    port,
    received,
    connections,
    /** Requests whose response the client abandoned before it finished. */
    closed,
    set(h: Handler) {
      handler = h;
    },
    /**
     * Serves a recorded fixture (JSON or SSE transcript), by default from `tests/fixtures/openai`;
     * pass another provider's `fixtureReader(...)` to serve its recordings.
     */
    serve(name: string, kind: "json" | "sse" = "json", from = fixtureReader("openai")) {
      handler = (_req, res) => {
        if (kind === "sse") {
          res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
          res.end(from.readSse(name));
          return;
        }
        const fixture = from.readResponse(name);
        const text = fixture.text ?? openAIJson(fixture.body);
        res.writeHead(fixture.status, fixture.headers);
        res.end(text);
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
