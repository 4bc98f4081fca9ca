import type { Context, Hono } from "hono";
import { z } from "zod";
import type { GatewayContext } from "../context";
import { GatewayError } from "../gateway-error";
import type {
  AttributeFilter,
  KnowledgeBase,
  ListPage,
  ListQuery,
  VectorStoreFileObject,
} from "../knowledge/types";
import { refuseOtherMethods, route, type ResolvedPorts } from "../route";
import { authenticate } from "../steps/authenticate";
import { authorizeEndpoint } from "../steps/authorize-endpoint";

/**
 * OpenAI's Files and Vector Stores API over the `knowledge` port: `/v1/files`,
 * `/v1/vector_stores`, their files, and search. Every route authenticates the key and works
 * within its org only: another org's ids answer 404 exactly like ids that do not exist.
 */

const MAX_JSON_BYTES = 1024 * 1024;
/** Multipart overhead allowed on top of the largest file (boundaries, part headers, purpose). */
const MULTIPART_SLACK = 64 * 1024;

function unavailable(): GatewayError {
  return new GatewayError(
    "knowledge_unavailable",
    503,
    "Knowledge bases are not available on this instance (they need a database with pgvector).",
  );
}

function notFound(kind: "file" | "vector store" | "vector store file", id: string): GatewayError {
  return new GatewayError("not_found", 404, `No ${kind} found with id '${id.slice(0, 128)}'.`, null, {
    type: "invalid_request_error",
  });
}

function invalid(message: string, param: string | null = null): GatewayError {
  return new GatewayError("invalid_request_error", 400, message, param);
}

function zodProblem(error: z.ZodError): GatewayError {
  const issue = error.issues[0]!;
  const param = issue.path.join(".") || null;
  return invalid(param ? `Invalid '${param}': ${issue.message}.` : `${issue.message}.`, param);
}

async function readJson(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_JSON_BYTES) throw new GatewayError("request_too_large", 413, "Request body too large (1 MB limit).");
  const text = await request.text();
  if (text.length > MAX_JSON_BYTES) throw new GatewayError("request_too_large", 413, "Request body too large (1 MB limit).");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GatewayError(
      "invalid_json",
      400,
      "We could not parse the JSON body of your request. The API expects a JSON object (Content-Type: application/json).",
    );
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw zodProblem(result.error);
  return result.data;
}

const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(["asc", "desc"]).default("desc"),
  after: z.string().min(1).max(200).optional(),
  before: z.string().min(1).max(200).optional(),
});

function listQuery(c: Context): ListQuery {
  const q = parse(listQuerySchema, c.req.query());
  return { limit: q.limit, order: q.order, after: q.after ?? null, before: q.before ?? null };
}

function listBody<T extends { id: string }>(page: ListPage<T>) {
  return {
    object: "list" as const,
    data: page.data,
    first_id: page.data[0]?.id ?? null,
    last_id: page.data.at(-1)?.id ?? null,
    has_more: page.has_more,
  };
}

const attributeValue = z.union([z.string().max(512), z.number(), z.boolean()]);
const attributesSchema = z
  .record(z.string().min(1).max(64), attributeValue)
  .refine((a) => Object.keys(a).length <= 16, "at most 16 attributes");
const metadataSchema = z
  .record(z.string().min(1).max(64), z.string().max(512))
  .refine((m) => Object.keys(m).length <= 16, "at most 16 keys");

const comparisonSchema = z.object({
  type: z.enum(["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin"]),
  key: z.string().min(1).max(64),
  value: z.union([attributeValue, z.array(z.union([z.string(), z.number()])).max(100)]),
});
const filterSchema: z.ZodType<AttributeFilter> = z.lazy(() =>
  z.union([
    comparisonSchema,
    z.object({ type: z.enum(["and", "or"]), filters: z.array(filterSchema).min(1).max(20) }),
  ]),
);

const chunkingStrategySchema = z.union([
  z.object({ type: z.literal("auto") }),
  z.object({
    type: z.literal("static"),
    static: z.object({
      max_chunk_size_tokens: z.number().int().min(100).max(4096),
      chunk_overlap_tokens: z.number().int().min(0),
    }),
  }),
]);

/** Characters per token when OpenAI's token-based chunking settings are turned into Switchyard's. */
const CHARS_PER_TOKEN = 4;

const createStoreSchema = z.object({
  name: z.string().max(256).optional(),
  file_ids: z.array(z.string().min(1).max(200)).max(500).optional(),
  metadata: metadataSchema.nullish(),
  chunking_strategy: chunkingStrategySchema.optional(),
  /** Switchyard's: `provider/model` of an embeddings model of the org (default: the local embedder). */
  embedding_model: z.string().min(1).max(256).nullish(),
  /** Switchyard's: chunk size and overlap in characters (wins over `chunking_strategy`). */
  chunk_size: z.number().int().min(100).max(8000).optional(),
  chunk_overlap: z.number().int().min(0).max(4000).optional(),
});

const addFileSchema = z.object({
  file_id: z.string().min(1).max(200),
  attributes: attributesSchema.nullish(),
  chunking_strategy: chunkingStrategySchema.optional(),
});

const searchSchema = z.object({
  query: z.union([z.string().min(1).max(4096), z.array(z.string().min(1).max(4096)).min(1).max(10)]),
  max_num_results: z.number().int().min(1).max(50).default(10),
  filters: filterSchema.nullish(),
  ranking_options: z
    .object({
      ranker: z.string().optional(),
      score_threshold: z.number().min(0).max(1).optional(),
    })
    .optional(),
  rewrite_query: z.boolean().optional(),
});

const fileStatusSchema = z.enum(["in_progress", "completed", "failed", "cancelled"]).optional();

function knowledgeOf(ports: ResolvedPorts): KnowledgeBase {
  if (!ports.knowledge) throw unavailable();
  return ports.knowledge;
}

type Handler = (ctx: GatewayContext, c: Context, kb: KnowledgeBase, orgId: string) => Promise<Response>;

function knowledgeRoute(ports: ResolvedPorts, handler: Handler) {
  return route(ports, async (ctx, c) => {
    const key = await authenticate(ctx, c.req.raw.headers, ports);
    authorizeEndpoint(key, "files");
    return handler(ctx, c, knowledgeOf(ports), key.orgId);
  });
}

async function readUpload(request: Request, maxFileBytes: number) {
  const type = request.headers.get("content-type") ?? "";
  if (!/^\s*multipart\/form-data/i.test(type)) {
    throw invalid("Upload files as multipart/form-data with a `file` part and a `purpose` field.");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxFileBytes + MULTIPART_SLACK) throw tooLarge(maxFileBytes);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw invalid("The multipart body could not be read.");
  }
  const purpose = form.get("purpose");
  if (typeof purpose !== "string" || purpose === "") throw invalid("Missing required parameter: 'purpose'.", "purpose");
  if (purpose !== "assistants") {
    throw invalid(`Invalid purpose '${purpose.slice(0, 64)}': Switchyard stores files for vector stores (purpose 'assistants').`, "purpose");
  }
  const file = form.get("file");
  if (file === null || typeof file === "string") throw invalid("Missing required parameter: 'file'.", "file");
  if (file.size > maxFileBytes) throw tooLarge(maxFileBytes);
  const filename = (file.name || "upload").slice(0, 512);
  return {
    filename,
    purpose,
    contentType: file.type || null,
    bytes: new Uint8Array(await file.arrayBuffer()),
  };
}

function tooLarge(maxFileBytes: number): GatewayError {
  return new GatewayError(
    "file_too_large",
    413,
    `File too large: the limit is ${Math.round(maxFileBytes / 1024 / 1024)} MB (SWITCHYARD_MAX_FILE_MB).`,
    "file",
  );
}

export function registerKnowledgeRoutes(app: Hono, ports: ResolvedPorts): void {
  const json = (ctx: GatewayContext, body: unknown, status = 200) =>
    ports.respond.json(body, status, ctx.requestId);

  // Files
  app.post(
    "/v1/files",
    knowledgeRoute(ports, async (ctx, c, kb, orgId) => {
      const upload = await readUpload(c.req.raw, kb.maxFileBytes);
      return json(ctx, await kb.uploadFile(orgId, upload));
    }),
  );
  app.get(
    "/v1/files",
    knowledgeRoute(ports, async (ctx, c, kb, orgId) => {
      const page = await kb.listFiles(orgId, { ...listQuery(c), purpose: c.req.query("purpose") ?? null });
      return json(ctx, listBody(page));
    }),
  );
  refuseOtherMethods(app, ports, "/v1/files", ["GET", "POST"]);
  app.get(
    "/v1/files/:id",
    knowledgeRoute(ports, async (ctx, c, kb, orgId) => {
      const id = c.req.param("id")!;
      const file = await kb.getFile(orgId, id);
      if (!file) throw notFound("file", id);
      return json(ctx, file);
    }),
  );
  app.delete(
    "/v1/files/:id",
    knowledgeRoute(ports, async (ctx, c, kb, orgId) => {
      const id = c.req.param("id")!;
      if (!(await kb.deleteFile(orgId, id))) throw notFound("file", id);
      return json(ctx, { id, object: "file", deleted: true });
    }),
  );
  refuseOtherMethods(app, ports, "/v1/files/:id", ["GET", "DELETE"]);

  // Vector stores
  app.post(
    "/v1/vector_stores",
    knowledgeRoute(ports, async (ctx, c, kb, orgId) => {
      const input = parse(createStoreSchema, await readJson(c.req.raw));
      const strategy = input.chunking_strategy?.type === "static" ? input.chunking_strategy.static : null;
      const chunkSize = input.chunk_size ?? (strategy ? strategy.max_chunk_size_tokens * CHARS_PER_TOKEN : null);
      const chunkOverlap =
        input.chunk_overlap ?? (strategy ? strategy.chunk_overlap_tokens * CHARS_PER_TOKEN : null);
      if (chunkSize !== null && chunkOverlap !== null && chunkOverlap > Math.floor(chunkSize / 2)) {
        throw invalid("The chunk overlap may be at most half the chunk size.", "chunk_overlap");
      }
      const store = await kb.createStore(orgId, {
        name: input.name ?? "",
        chunkSize,
        chunkOverlap,
        embeddingModel: input.embedding_model ?? null,
        metadata: input.metadata ?? {},
        fileIds: input.file_ids ?? [],
      });
      return json(ctx, store);
    }),
  );
  app.get(
    "/v1/vector_stores",
    knowledgeRoute(ports, async (ctx, c, kb, orgId) => json(ctx, listBody(await kb.listStores(orgId, listQuery(c))))),
  );
  refuseOtherMethods(app, ports, "/v1/vector_stores", ["GET", "POST"]);
  app.get(
    "/v1/vector_stores/:id",
    knowledgeRoute(ports, async (ctx, c, kb, orgId) => {
      const id = c.req.param("id")!;
      const store = await kb.getStore(orgId, id);
      if (!store) throw notFound("vector store", id);
      return json(ctx, store);
    }),
  );
  app.delete(
    "/v1/vector_stores/:id",
    knowledgeRoute(ports, async (ctx, c, kb, orgId) => {
      const id = c.req.param("id")!;
      if (!(await kb.deleteStore(orgId, id))) throw notFound("vector store", id);
      return json(ctx, { id, object: "vector_store.deleted", deleted: true });
    }),
  );
  refuseOtherMethods(app, ports, "/v1/vector_stores/:id", ["GET", "DELETE"]);

  // Files of a vector store
  app.post(
    "/v1/vector_stores/:id/files",
    knowledgeRoute(ports, async (ctx, c, kb, orgId) => {
      const id = c.req.param("id")!;
      const input = parse(addFileSchema, await readJson(c.req.raw));
      const added = await kb.addFile(orgId, id, { fileId: input.file_id, attributes: input.attributes ?? {} });
      if (!added) throw notFound("vector store", id);
      return json(ctx, added);
    }),
  );
  app.get(
    "/v1/vector_stores/:id/files",
    knowledgeRoute(ports, async (ctx, c, kb, orgId) => {
      const id = c.req.param("id")!;
      const filter = parse(fileStatusSchema, c.req.query("filter")) ?? null;
      const page = await kb.listStoreFiles(orgId, id, { ...listQuery(c), filter });
      if (!page) throw notFound("vector store", id);
      return json(ctx, listBody<VectorStoreFileObject>(page));
    }),
  );
  refuseOtherMethods(app, ports, "/v1/vector_stores/:id/files", ["GET", "POST"]);
  app.get(
    "/v1/vector_stores/:id/files/:fileId",
    knowledgeRoute(ports, async (ctx, c, kb, orgId) => {
      const fileId = c.req.param("fileId")!;
      const file = await kb.getStoreFile(orgId, c.req.param("id")!, fileId);
      if (!file) throw notFound("vector store file", fileId);
      return json(ctx, file);
    }),
  );
  app.delete(
    "/v1/vector_stores/:id/files/:fileId",
    knowledgeRoute(ports, async (ctx, c, kb, orgId) => {
      const fileId = c.req.param("fileId")!;
      if (!(await kb.deleteStoreFile(orgId, c.req.param("id")!, fileId))) throw notFound("vector store file", fileId);
      return json(ctx, { id: fileId, object: "vector_store.file.deleted", deleted: true });
    }),
  );
  refuseOtherMethods(app, ports, "/v1/vector_stores/:id/files/:fileId", ["GET", "DELETE"]);

  // Search
  app.post(
    "/v1/vector_stores/:id/search",
    knowledgeRoute(ports, async (ctx, c, kb, orgId) => {
      const id = c.req.param("id")!;
      const input = parse(searchSchema, await readJson(c.req.raw));
      const query = Array.isArray(input.query) ? input.query.join(" ") : input.query;
      const results = await kb.search(orgId, id, {
        query,
        maxResults: input.max_num_results,
        filters: input.filters ?? null,
        scoreThreshold: input.ranking_options?.score_threshold ?? null,
      });
      if (!results) throw notFound("vector store", id);
      return json(ctx, {
        object: "vector_store.search_results.page",
        search_query: Array.isArray(input.query) ? input.query : [input.query],
        data: results,
        has_more: false,
        next_page: null,
      });
    }),
  );
  refuseOtherMethods(app, ports, "/v1/vector_stores/:id/search", ["POST"]);
}
