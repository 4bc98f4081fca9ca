import { createOpenAIWireAdapter } from "./openai-wire";

/** OpenAI's own API: Bearer auth, `https://api.openai.com/v1` unless the config says otherwise. */
export const openAIAdapter = createOpenAIWireAdapter({
  type: "openai",
  defaultBaseURL: "https://api.openai.com/v1",
  auth: (config): Record<string, string> =>
    config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {},
});
