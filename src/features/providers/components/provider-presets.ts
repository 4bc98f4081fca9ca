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
  anthropic: "https://api.anthropic.com/v1",
  gemini: "https://generativelanguage.googleapis.com/v1beta",
  mock: "http://mock.invalid/v1",
};

/** What each adapter type is, in the type picker. */
export const TYPE_LABELS: Readonly<Record<string, string>> = {
  openai: "OpenAI",
  "openai-compatible": "OpenAI-compatible",
  anthropic: "Anthropic",
  gemini: "Google Gemini",
  "azure-openai": "Azure OpenAI",
  mock: "Mock (no network)",
};

/** One line under the type picker: what the type covers. */
export const TYPE_HINTS: Readonly<Record<string, string>> = {
  openai: "api.openai.com or a proxy of it.",
  "openai-compatible": "Groq, Together, Mistral, OpenRouter, Ollama, vLLM, LM Studio, …",
  anthropic: "Claude models through Anthropic's Messages API.",
  gemini: "Gemini models through the Gemini API (Google AI Studio keys).",
  "azure-openai": "An Azure OpenAI resource; its deployment names are the model names.",
  mock: "Built-in test upstream that echoes; for trying things out.",
};

/** Where the base URL of a type points, under the field (types without one get the OpenAI wording). */
export const BASE_URL_HINTS: Readonly<Record<string, string>> = {
  anthropic: "Anthropic's API root, where /messages and /models begin.",
  gemini: "The Gemini API root, where /models begins.",
  "azure-openai":
    "Your resource's endpoint, https://<resource>.openai.azure.com (or …/openai/v1 for the v1 API).",
};

/** Placeholders for the base URL and API key fields, per type. */
export const BASE_URL_PLACEHOLDERS: Readonly<Record<string, string>> = {
  "azure-openai": "https://<resource>.openai.azure.com",
};
export const API_KEY_PLACEHOLDERS: Readonly<Record<string, string>> = {
  anthropic: "sk-ant-…",
  gemini: "AIza…",
  "azure-openai": "One of the resource's keys",
};

/** The order of the type picker; types this table does not know come last, as listed. */
const TYPE_ORDER = ["openai", "openai-compatible", "anthropic", "gemini", "azure-openai", "mock"];

export function orderedTypes(types: readonly string[]): string[] {
  const rank = (t: string) => {
    const i = TYPE_ORDER.indexOf(t);
    return i < 0 ? TYPE_ORDER.length : i;
  };
  return [...types].sort((a, b) => rank(a) - rank(b));
}

export function presetForUrl(baseUrl: string): BaseUrlPreset | undefined {
  const normalized = baseUrl.trim().replace(/\/+$/, "");
  return OPENAI_COMPATIBLE_PRESETS.find((p) => p.baseUrl === normalized);
}
