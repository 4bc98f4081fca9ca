import { maxOutputTokens } from "./output-tokens";

/**
 * The tokenizer's tables cost ~20 MB of memory: load them on the first request that needs a token
 * estimate (a TPM limit or a budget applies), not when the gateway starts. After the first call
 * the import is cached and resolves within a microtask.
 */

export interface RequestEstimate {
  /** Prompt tokens (tokenized once, on first call). */
  promptTokens(): Promise<number>;
  /** Most output tokens the request can produce (no tokenizer needed). */
  readonly maxOutputTokens: number;
  /** Prompt + maximum output: what TPM admission takes. */
  totalTokens(): Promise<number>;
}

/**
 * One request's estimate, computed at most once however many consumers ask (TPM admission and the
 * budget's maximum cost both need the prompt count).
 */
export function createRequestEstimate(body: unknown): RequestEstimate {
  let prompt: Promise<number> | null = null;
  const output = maxOutputTokens(body);
  const promptTokens = () =>
    (prompt ??= import("./token-estimate").then(async (m) => {
      await m.loadTokenizer();
      return m.estimatePromptTokens(body);
    }));
  return {
    promptTokens,
    maxOutputTokens: output,
    totalTokens: async () => (await promptTokens()) + output,
  };
}

export function lazyRequestTokens(body: unknown): () => Promise<number> {
  return createRequestEstimate(body).totalTokens;
}
