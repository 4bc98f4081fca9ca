/**
 * The API endpoint groups an API key can be limited to. A key with no list may call them all;
 * a key with a list is refused (403) anywhere else. Groups, not paths, so that a new path of an
 * existing kind (e.g. `/v1/vector_stores/:id/files`) needs no change to stored keys.
 */
export const KEY_ENDPOINTS = ["chat", "completions", "embeddings", "models", "files"] as const;

export type KeyEndpoint = (typeof KEY_ENDPOINTS)[number];

/** What each group covers, for messages, the console and the CLI help. */
export const KEY_ENDPOINT_LABELS: Readonly<Record<KeyEndpoint, string>> = {
  chat: "chat completions (/v1/chat/completions)",
  completions: "text completions (/v1/completions)",
  embeddings: "embeddings (/v1/embeddings)",
  models: "the model list (/v1/models)",
  files: "files and vector stores (/v1/files, /v1/vector_stores)",
};

export function isKeyEndpoint(value: string): value is KeyEndpoint {
  return (KEY_ENDPOINTS as readonly string[]).includes(value);
}
