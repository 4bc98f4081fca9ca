import { createOpenAIWireAdapter } from "../openai/openai-wire";

/**
 * Any server speaking OpenAI's wire format at its own base URL: vLLM, Ollama, LM Studio, Groq,
 * Together, OpenRouter, … The key is optional (local servers have none) and sent as Bearer; a
 * server wanting another header gets it from the provider's `headers`.
 */
export const openAICompatibleAdapter = createOpenAIWireAdapter({
  type: "openai-compatible",
  auth: (config): Record<string, string> =>
    config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {},
});
