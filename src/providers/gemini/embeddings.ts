import { requestUpstream } from "../http/upstream-call";
import {
  ProviderError,
  type CallOptions,
  type EmbedResult,
  type JsonObject,
  type ProviderConfig,
} from "../types";
import { withGeminiErrors } from "./errors";
import { asCount, invalidRequest, isObject, parseUpstreamObject } from "./json";
import { modelOf, modelPath, upstreamRequest } from "./upstream";

/**
 * OpenAI `/embeddings` → Gemini `batchEmbedContents` (one request per input text, at most
 * BATCH_LIMIT per call, a few calls at a time): `dimensions` → `outputDimensionality`,
 * `encoding_format: "base64"` → little-endian float32 bytes in base64, as OpenAI sends them.
 * Token-array inputs have no Gemini equivalent and are refused with a 400.
 * Gemini's embedding answers carry no token counts: usage is then estimated at one token per
 * four characters of input (flagged by nothing but this comment; good enough for budgets).
 */

/** Gemini's limit on requests in one batchEmbedContents call. */
export const BATCH_LIMIT = 100;
const PARALLEL_BATCHES = 4;

function inputs(body: JsonObject): string[] {
  const input = body.input;
  if (typeof input === "string") return [input];
  if (Array.isArray(input) && input.length > 0 && input.every((x) => typeof x === "string")) {
    return input as string[];
  }
  if (
    Array.isArray(input) &&
    input.length > 0 &&
    input.every((x) => typeof x === "number" || Array.isArray(x))
  ) {
    throw invalidRequest(
      "Token-array inputs are not supported by this provider: send the input as text.",
      "input",
    );
  }
  throw invalidRequest("`input` must be a string or a non-empty array of strings.", "input");
}

export function float32Base64(values: number[]): string {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buffer.writeFloatLE(v, i * 4));
  return buffer.toString("base64");
}

const estimateTokens = (texts: string[]): number =>
  texts.reduce((n, t) => n + Math.ceil(t.length / 4), 0);

async function embedBatch(
  config: ProviderConfig,
  model: string,
  texts: string[],
  dimensions: number | undefined,
  call: CallOptions,
): Promise<{ vectors: number[][]; tokens: number | undefined }> {
  const resource = model.startsWith("tunedModels/")
    ? model
    : `models/${model.replace(/^models\//, "")}`;
  const request = {
    requests: texts.map((text) => ({
      model: resource,
      content: { parts: [{ text }] },
      ...(dimensions !== undefined ? { outputDimensionality: dimensions } : {}),
    })),
  };
  const reply = await requestUpstream(
    upstreamRequest(config, modelPath(model, "batchEmbedContents"), call, request),
  );
  const answer = parseUpstreamObject(reply.text);
  const embeddings = Array.isArray(answer.embeddings) ? answer.embeddings : [];
  const vectors = embeddings.map((e: unknown) =>
    isObject(e) && Array.isArray(e.values) ? (e.values as number[]) : null,
  );
  if (vectors.length !== texts.length || vectors.some((v) => v === null)) {
    throw new ProviderError({
      message: `the upstream returned ${vectors.length} embeddings for ${texts.length} inputs`,
      status: 502,
      kind: "protocol",
    });
  }
  const usage = isObject(answer.usageMetadata) ? answer.usageMetadata : {};
  return {
    vectors: vectors as number[][],
    tokens: asCount(usage.promptTokenCount) ?? asCount(usage.totalTokenCount),
  };
}

export async function embed(
  config: ProviderConfig,
  body: JsonObject,
  call: CallOptions,
): Promise<EmbedResult> {
  const model = modelOf(body);
  const texts = inputs(body);
  let dimensions: number | undefined;
  if (body.dimensions !== undefined) {
    if (
      typeof body.dimensions !== "number" ||
      !Number.isInteger(body.dimensions) ||
      body.dimensions < 1
    ) {
      throw invalidRequest("`dimensions` must be a positive integer.", "dimensions");
    }
    dimensions = body.dimensions;
  }
  const base64 = body.encoding_format === "base64";

  const batches: string[][] = [];
  for (let i = 0; i < texts.length; i += BATCH_LIMIT) batches.push(texts.slice(i, i + BATCH_LIMIT));
  const results = new Array<{ vectors: number[][]; tokens: number | undefined }>(batches.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < batches.length && !failed) {
      const at = next++;
      try {
        results[at] = await embedBatch(config, model, batches[at]!, dimensions, call);
      } catch (err) {
        failed = true; // the other workers start no further batch
        throw err;
      }
    }
  };
  await withGeminiErrors(() =>
    Promise.all(Array.from({ length: Math.min(PARALLEL_BATCHES, batches.length) }, worker)),
  );

  const vectors = results.flatMap((r) => r.vectors);
  const reported = results.every((r) => r.tokens !== undefined)
    ? results.reduce((n, r) => n + r.tokens!, 0)
    : undefined;
  const promptTokens = reported ?? estimateTokens(texts);
  return {
    body: {
      object: "list",
      data: vectors.map((values, index) => ({
        object: "embedding",
        index,
        embedding: base64 ? float32Base64(values) : values,
      })),
      model,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    },
    usage: { promptTokens, completionTokens: 0, totalTokens: promptTokens },
  };
}
