/**
 * The Gemini API's `Content`/`Part` JSON (v1beta), as this adapter writes it in requests and reads
 * it in answers. Answers are untrusted: they are checked field by field where they are read.
 */

export interface GeminiInlineData {
  mimeType: string;
  /** Base64, no `data:` prefix. */
  data: string;
}

export interface GeminiFileData {
  mimeType: string;
  fileUri: string;
}

export interface GeminiFunctionCall {
  id?: string;
  name?: string;
  args?: Record<string, unknown>;
}

export interface GeminiFunctionResponse {
  name: string;
  response: Record<string, unknown>;
}

export interface GeminiPart {
  text?: string;
  /** True for thought summaries (thinking models with `includeThoughts`). */
  thought?: boolean;
  /** Opaque reasoning state the model wants back on the next turn (thinking models). */
  thoughtSignature?: string;
  inlineData?: GeminiInlineData;
  fileData?: GeminiFileData;
  functionCall?: GeminiFunctionCall;
  functionResponse?: GeminiFunctionResponse;
}

export interface GeminiContent {
  role?: "user" | "model";
  parts: GeminiPart[];
}
