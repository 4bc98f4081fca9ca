/**
 * Well-known OpenAI-compatible upstreams. Choosing one only fills in the base URL (and a name
 * when none is typed yet); everything stays editable.
 */
export interface BaseUrlPreset {
  label: string;
  /** Suggested provider name. */
  name: string;
  baseUrl: string;
  /** Runs on your own machine or network (needs private upstreams allowed). */
  local?: boolean;
  /** Accepts requests without an API key. */
  keyless?: boolean;
}

export const OPENAI_COMPATIBLE_PRESETS: readonly BaseUrlPreset[] = [
  { label: "Groq", name: "groq", baseUrl: "https://api.groq.com/openai/v1" },
  { label: "Together AI", name: "together", baseUrl: "https://api.together.xyz/v1" },
  { label: "Mistral", name: "mistral", baseUrl: "https://api.mistral.ai/v1" },
  { label: "DeepSeek", name: "deepseek", baseUrl: "https://api.deepseek.com/v1" },
  { label: "Fireworks AI", name: "fireworks", baseUrl: "https://api.fireworks.ai/inference/v1" },
  { label: "OpenRouter", name: "openrouter", baseUrl: "https://openrouter.ai/api/v1" },
  {
    label: "Ollama (local)",
    name: "ollama",
    baseUrl: "http://localhost:11434/v1",
    local: true,
    keyless: true,
  },
  {
    label: "vLLM (local)",
    name: "vllm",
    baseUrl: "http://localhost:8000/v1",
    local: true,
    keyless: true,
  },
  {
    label: "LM Studio (local)",
    name: "lmstudio",
    baseUrl: "http://localhost:1234/v1",
    local: true,
    keyless: true,
  },
];

/** The base URL a type starts with when it has one obvious answer. */
export const DEFAULT_BASE_URLS: Readonly<Record<string, string>> = {
  openai: "https://api.openai.com/v1",
  mock: "http://mock.invalid/v1",
};

/** What each adapter type is, in the type picker. */
export const TYPE_LABELS: Readonly<Record<string, string>> = {
  openai: "OpenAI",
  "openai-compatible": "OpenAI-compatible",
  mock: "Mock (no network)",
};

/** One line under the type picker: what the type covers. */
export const TYPE_HINTS: Readonly<Record<string, string>> = {
  openai: "api.openai.com or a proxy of it.",
  "openai-compatible": "Groq, Together, Mistral, OpenRouter, Ollama, vLLM, LM Studio, …",
  mock: "Built-in test upstream that echoes; for trying things out.",
};

export function presetForUrl(baseUrl: string): BaseUrlPreset | undefined {
  const normalized = baseUrl.trim().replace(/\/+$/, "");
  return OPENAI_COMPATIBLE_PRESETS.find((p) => p.baseUrl === normalized);
}
