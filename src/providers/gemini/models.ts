import { requestUpstream } from "../http/upstream-call";
import type { CallOptions, ModelListing, ProviderConfig } from "../types";
import { withGeminiErrors } from "./errors";
import { isObject, parseUpstreamObject } from "./json";
import { upstreamRequest } from "./upstream";

/**
 * `GET {base}/models`, page by page (`pageToken`), at most MAX_PAGES pages: the models that can
 * chat (`generateContent`) or embed (`embedContent`), named without their `models/` prefix.
 */

const PAGE_SIZE = 1000;
export const MAX_PAGES = 10;
const USABLE = new Set(["generateContent", "embedContent"]);

export async function listModels(
  config: ProviderConfig,
  call: CallOptions,
): Promise<ModelListing[]> {
  const models: ModelListing[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = `pageSize=${PAGE_SIZE}${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ""}`;
    const reply = await withGeminiErrors(() =>
      requestUpstream(upstreamRequest(config, `/models?${query}`, call)),
    );
    const answer = parseUpstreamObject(reply.text);
    for (const m of Array.isArray(answer.models) ? answer.models : []) {
      if (!isObject(m) || typeof m.name !== "string") continue;
      const methods = Array.isArray(m.supportedGenerationMethods)
        ? m.supportedGenerationMethods
        : [];
      if (!methods.some((x) => typeof x === "string" && USABLE.has(x))) continue;
      models.push({ id: m.name.replace(/^models\//, ""), ownedBy: "google" });
    }
    pageToken = typeof answer.nextPageToken === "string" ? answer.nextPageToken : undefined;
    if (!pageToken) break;
  }
  return models;
}
