import type { GeminiPart } from "./wire-types";
import { invalidRequest, isObject } from "./json";

/**
 * OpenAI message content (a string or an array of typed parts) → Gemini parts.
 *
 * Images: a `data:` URL becomes `inlineData`; an http(s) URL becomes `fileData` with the MIME
 * type guessed from the URL's extension (Gemini needs one and the gateway does not fetch the
 * image to sniff it): an unknown extension is sent as `image/jpeg`, and Gemini only fetches
 * URLs it can reach itself (public URLs, or Files API URIs) — anything else fails upstream.
 */

const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  heic: "image/heic",
  heif: "image/heif",
  pdf: "application/pdf",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  mp4: "video/mp4",
};

/** The MIME type an http(s) URL's path extension suggests (`image/jpeg` when unknown). */
export function guessMimeType(url: string): string {
  let pathname = url;
  try {
    pathname = new URL(url).pathname;
  } catch {
    // Not a parseable URL: use it as it is.
  }
  const ext = /\.([a-z0-9]+)$/i.exec(pathname)?.[1]?.toLowerCase();
  return (ext && MIME_BY_EXTENSION[ext]) || "image/jpeg";
}

const DATA_URL = /^data:([^;,]+)((?:;[^;,]*)*?);base64,(.*)$/s;

function dataUrlPart(url: string, param: string): GeminiPart {
  const match = DATA_URL.exec(url);
  if (!match || match[3] === "") {
    throw invalidRequest("Only base64 `data:` URLs are supported for inline content.", param);
  }
  return { inlineData: { mimeType: match[1]!.toLowerCase(), data: match[3]! } };
}

function urlPart(url: string, param: string): GeminiPart {
  if (url.startsWith("data:")) return dataUrlPart(url, param);
  if (/^https?:\/\//i.test(url) || url.startsWith("gs://")) {
    return { fileData: { mimeType: guessMimeType(url), fileUri: url } };
  }
  throw invalidRequest("Image URLs must be http(s) URLs or base64 `data:` URLs.", param);
}

const AUDIO_MIME: Record<string, string> = { wav: "audio/wav", mp3: "audio/mpeg" };

function contentPart(part: unknown, param: string): GeminiPart | null {
  if (!isObject(part)) throw invalidRequest("A content part must be an object.", param);
  switch (part.type) {
    case "text":
      return typeof part.text === "string" && part.text !== "" ? { text: part.text } : null;
    case "refusal":
      return typeof part.refusal === "string" && part.refusal !== ""
        ? { text: part.refusal }
        : null;
    case "image_url": {
      const image = part.image_url;
      const url = typeof image === "string" ? image : isObject(image) ? image.url : undefined;
      if (typeof url !== "string") throw invalidRequest("An image part needs a URL.", param);
      return urlPart(url, param);
    }
    case "input_audio": {
      const audio = isObject(part.input_audio) ? part.input_audio : {};
      if (typeof audio.data !== "string" || audio.data === "") {
        throw invalidRequest("An audio part needs base64 data.", param);
      }
      const format = typeof audio.format === "string" ? audio.format.toLowerCase() : "wav";
      return {
        inlineData: { mimeType: AUDIO_MIME[format] ?? `audio/${format}`, data: audio.data },
      };
    }
    case "file": {
      const file = isObject(part.file) ? part.file : {};
      if (typeof file.file_data === "string") return dataUrlPart(file.file_data, param);
      throw invalidRequest(
        "File parts must carry their content as a base64 `data:` URL (`file_data`); file ids are not supported by this provider.",
        param,
      );
    }
    default:
      throw invalidRequest(
        `Content parts of type '${String(part.type)}' are not supported by this provider.`,
        param,
      );
  }
}

/** Gemini parts for a message's `content` (empty text is dropped: Gemini rejects empty parts). */
export function contentToParts(content: unknown, param: string): GeminiPart[] {
  if (content === null || content === undefined) return [];
  if (typeof content === "string") return content === "" ? [] : [{ text: content }];
  if (!Array.isArray(content)) {
    throw invalidRequest("Message content must be a string or an array of parts.", param);
  }
  const parts: GeminiPart[] = [];
  content.forEach((p, i) => {
    const part = contentPart(p, `${param}[${i}]`);
    if (part) parts.push(part);
  });
  return parts;
}

/** The text of a content value (system messages: Gemini takes their text only). */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((p) => (isObject(p) && typeof p.text === "string" ? p.text : ""))
    .filter((t) => t !== "")
    .join("\n");
}
