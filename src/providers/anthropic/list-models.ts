import { requestUpstream } from "../http/upstream-call";
import type { CallOptions, ModelListing, ProviderConfig } from "../types";
import { fromUpstreamFailure, protocolError } from "./errors";
import { isRecord } from "./json-guards";
import { upstreamRequest } from "./upstream-request";

/** Pages are cursor-based (`has_more`, `last_id`); this many pages of 1000 is far beyond any real list. */
const MAX_PAGES = 20;

/** GET {base}/models, every page. */
export async function listModels(
  config: ProviderConfig,
  call: CallOptions,
): Promise<ModelListing[]> {
  const models: ModelListing[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query: string = after === null ? "" : `&after_id=${encodeURIComponent(after)}`;
    let text: string;
    try {
      text = (await requestUpstream(upstreamRequest(config, `/models?limit=1000${query}`, call)))
        .text;
    } catch (err) {
      throw fromUpstreamFailure(err);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw protocolError("the upstream answered with a body that is not JSON");
    }
    if (!isRecord(body) || !Array.isArray(body.data)) return models;
    for (const entry of body.data) {
      if (isRecord(entry) && typeof entry.id === "string") models.push({ id: entry.id });
    }
    if (body.has_more !== true || typeof body.last_id !== "string") break;
    after = body.last_id;
  }
  return models;
}
