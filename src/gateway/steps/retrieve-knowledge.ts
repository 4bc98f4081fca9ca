import type { JsonObject } from "~/providers/types";
import type { GatewayContext } from "../context";
import { GatewayError } from "../gateway-error";
import type { SearchResult } from "../knowledge/types";
import type { ApiKeyRecord } from "../ports";
import type { HeaderSource, Inbound } from "../inbound";
import type { InboundHandler, ResolvedPorts } from "../route";

/**
 * Retrieval-augmented answers: a chat request with `x-switchyard-knowledge: <vector store id>`
 * is answered with the store's best passages for its last user message, injected as one system
 * message of numbered passages. The answer carries the sources: `switchyard.citations` in a JSON
 * answer, the `x-switchyard-citations` header, and in a stream one last event before `[DONE]`.
 */

export const KNOWLEDGE_HEADER = "x-switchyard-knowledge";
export const CITATIONS_HEADER = "x-switchyard-citations";
/** Passages injected per request. */
export const KNOWLEDGE_PASSAGES = 5;

export interface Citation {
  /** The passage's number in the injected message (`[1]`, `[2]`, …). */
  index: number;
  file_id: string;
  filename: string;
  /** The chunk's index within its file. */
  chunk: number;
  score: number;
  text: string;
}

/** The citations of requests that asked for knowledge (a WeakMap: the context's shape is shared). */
const citationsOf = new WeakMap<GatewayContext, Citation[]>();

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (part && typeof part === "object" && (part as JsonObject).type === "text" ? String((part as JsonObject).text ?? "") : ""))
    .join(" ");
}

function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return "";
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as JsonObject | null;
    if (message && message.role === "user") return textOf(message.content).trim();
  }
  return "";
}

function passagesMessage(results: readonly SearchResult[]): string {
  const passages = results.map(
    (r, i) => `[${i + 1}] (${r.filename || r.file_id})\n${r.content.map((c) => c.text).join("\n")}`,
  );
  return [
    "Answer using the numbered passages below when they are relevant, and cite them by number like [1].",
    "If they do not contain the answer, say so instead of guessing.",
    "",
    passages.join("\n\n"),
  ].join("\n");
}

/**
 * The retrieval step: does nothing without the header; otherwise searches the store (404 for a
 * store the key's org does not have), adds the passages to `body` and `ctx.requestText` so every
 * later step (cache, limits, the upstream call) sees the augmented request, and remembers the
 * citations for `attachCitations`.
 */
export async function retrieveKnowledge(
  ports: ResolvedPorts,
  ctx: GatewayContext,
  key: ApiKeyRecord,
  body: JsonObject,
  headers: HeaderSource,
): Promise<void> {
  const storeId = headers.get(KNOWLEDGE_HEADER)?.trim();
  if (storeId === undefined || storeId === "") return;
  if (ctx.endpoint !== "chat.completions") {
    throw new GatewayError("invalid_request_error", 400, `The ${KNOWLEDGE_HEADER} header applies to /v1/chat/completions only.`);
  }
  if (!ports.knowledge) {
    throw new GatewayError("knowledge_unavailable", 503, "Knowledge bases are not available on this instance.");
  }
  const query = lastUserText(body.messages);
  if (query === "") {
    throw new GatewayError("invalid_request_error", 400, `The ${KNOWLEDGE_HEADER} header needs a user message with text to search for.`, "messages");
  }
  const results = await ports.knowledge.search(key.orgId, storeId, {
    query: query.slice(0, 4096),
    maxResults: KNOWLEDGE_PASSAGES,
    filters: null,
    scoreThreshold: null,
  });
  if (results === null) {
    throw new GatewayError("not_found", 404, `No vector store found with id '${storeId.slice(0, 128)}' (${KNOWLEDGE_HEADER} header).`);
  }
  citationsOf.set(
    ctx,
    results.map((r, i) => ({
      index: i + 1,
      file_id: r.file_id,
      filename: r.filename,
      chunk: r.switchyard.chunk,
      score: r.score,
      text: r.content.map((c) => c.text).join("\n"),
    })),
  );
  if (results.length === 0) return;
  const messages = body.messages as JsonObject[];
  // After the client's own leading system/developer messages, so their instructions stay first.
  let at = 0;
  while (at < messages.length && (messages[at]?.role === "system" || messages[at]?.role === "developer")) at++;
  body.messages = [...messages.slice(0, at), { role: "system", content: passagesMessage(results) }, ...messages.slice(at)];
  ctx.body = body;
  ctx.requestText = JSON.stringify(body);
}

function headerRecord(headers: Headers, citations: readonly Citation[]): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name !== "content-length") out[name] = value;
  });
  out[CITATIONS_HEADER] = citations.map((c) => `${c.file_id}#${c.chunk}`).join(",");
  return out;
}

const DONE = "data: [DONE]";

/** Inserts one `data:` event before the stream's `[DONE]` (or at its end when there is none). */
function insertBeforeDone(body: ReadableStream<Uint8Array>, event: string): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = "";
  let inserted = false;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (inserted) {
          controller.enqueue(chunk);
          return;
        }
        pending += decoder.decode(chunk, { stream: true });
        const at = pending.indexOf(DONE);
        if (at !== -1) {
          controller.enqueue(encoder.encode(pending.slice(0, at) + event + pending.slice(at)));
          pending = "";
          inserted = true;
          return;
        }
        // Keep a tail that could be the start of a `[DONE]` split across chunks.
        const keep = Math.min(pending.length, DONE.length - 1);
        if (pending.length > keep) controller.enqueue(encoder.encode(pending.slice(0, pending.length - keep)));
        pending = pending.slice(pending.length - keep);
      },
      flush(controller) {
        if (inserted) return;
        pending += decoder.decode();
        controller.enqueue(encoder.encode(pending + event));
      },
    }),
  );
}

/**
 * Adds the citations to a successful answer of a request that asked for knowledge; any other
 * response is returned as is (one WeakMap lookup).
 */
export async function attachCitations(ports: ResolvedPorts, ctx: GatewayContext, response: Response): Promise<Response> {
  const citations = citationsOf.get(ctx);
  if (citations === undefined || response.status !== 200) return response;
  const headers = headerRecord(response.headers, citations);
  const type = response.headers.get("content-type") ?? "";
  if (type.startsWith("text/event-stream") && response.body) {
    const event = `data: ${JSON.stringify({
      id: ctx.requestId,
      object: "chat.completion.chunk",
      choices: [],
      switchyard: { citations },
    })}\n\n`;
    return ports.respond.eventStream(insertBeforeDone(response.body, event), ctx.requestId, null, 1, headers);
  }
  const answer = JSON.parse(await response.text()) as JsonObject;
  const extension = answer.switchyard && typeof answer.switchyard === "object" ? (answer.switchyard as JsonObject) : {};
  answer.switchyard = { ...extension, citations };
  return ports.respond.jsonText(JSON.stringify(answer), 200, ctx.requestId, null, 1, headers);
}

/**
 * Wraps an inference route so answers to requests with the knowledge header carry citations;
 * requests without it get the route's own response untouched (one header lookup).
 */
export function withCitations(ports: ResolvedPorts, handler: InboundHandler): InboundHandler {
  return (ctx, inbound) => {
    if (inbound.headers.get(KNOWLEDGE_HEADER) === null) return handler(ctx, inbound);
    // A stream must come back as a Response to get its last event: hide the node:http response
    // so the core does not write the stream to the socket itself (the host still sends it).
    const hidden: Inbound = {
      method: inbound.method,
      path: inbound.path,
      headers: inbound.headers,
      readBody: (limit) => inbound.readBody(limit),
      link: () => ({ ...inbound.link(), response: null }),
    };
    return handler(ctx, hidden).then((r) => attachCitations(ports, ctx, r));
  };
}
