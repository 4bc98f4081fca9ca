import type { JsonObject } from "~/providers/types";
import { canonicalJson } from "./canonical-json";
import { digest, keyFields, type CacheEndpoint } from "./cache-key";

/** A request as the semantic tier sees it: the text that is compared, and what must be equal. */
export interface SemanticPrompt {
  /** The last user turn's text (what is embedded). */
  text: string;
  /**
   * Hash of everything else that shapes the answer: the org, the model, every other message
   * (system prompt, earlier and later turns), tools and parameters, and the numbers in the last
   * user turn. Only entries with the same fingerprint are compared, so a near-identical question
   * in another conversation, with other parameters or about other figures never matches.
   */
  fingerprint: string;
}

const NUMBER = /\p{N}+(?:[.,]\p{N}+)*/gu;

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** The text of a user message: a string, or text parts only (images or audio opt out). */
function userText(content: unknown): string | null {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return null;
  const texts: string[] = [];
  for (const part of content) {
    if (!isObject(part) || part.type !== "text" || typeof part.text !== "string") return null;
    texts.push(part.text);
  }
  return texts.join("\n");
}

/**
 * Splits a chat request for the semantic tier (`embedderId` names the embedding model: vectors
 * of different models are never compared, so it is part of the fingerprint); null when it cannot take part (not a chat
 * request, no user turn, a user turn with non-text parts, or a blank one).
 */
export function semanticPrompt(
  orgId: string,
  endpoint: CacheEndpoint,
  body: JsonObject,
  embedderId = "",
): SemanticPrompt | null {
  if (endpoint !== "chat.completions" || !Array.isArray(body.messages)) return null;
  const messages = body.messages as unknown[];
  let at = messages.length - 1;
  while (at >= 0 && !(isObject(messages[at]) && (messages[at] as JsonObject).role === "user")) at--;
  if (at < 0) return null;
  const turn = messages[at] as JsonObject;
  const text = userText(turn.content);
  if (text === null || text.trim() === "") return null;
  const { content: _content, ...turnRest } = turn;
  const context = {
    params: keyFields(body, "messages"),
    before: messages.slice(0, at),
    turn: turnRest,
    after: messages.slice(at + 1),
    // Numbers change answers while barely moving a similarity score ("2+2" vs "2+3", "in 2023"
    // vs "in 2024"): the turn's numbers, in order, must be equal for a match.
    numbers: text.match(NUMBER) ?? [],
  };
  return {
    text,
    fingerprint: digest([orgId, endpoint, "semantic", embedderId], canonicalJson(context)),
  };
}
