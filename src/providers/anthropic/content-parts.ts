import { invalidRequest } from "./errors";
import { isRecord, type JsonRecord } from "./json-guards";

/**
 * OpenAI message content (a string or an array of parts) as Anthropic content blocks:
 *  - `text` → `{type: "text", text}`;
 *  - `image_url` with a `data:` URL → a base64 image source, with an http(s) URL → a URL source;
 *  - `file` carrying a base64 PDF (`file_data`) → a `document` block;
 *  - `refusal` (assistant history) → text.
 * A part Anthropic cannot take (audio, file ids, other media types) is a 400, not silently lost.
 * `cache_control` on a part is kept, so clients can mark prompt-cache breakpoints.
 */

export type Block = JsonRecord;

/** The image types the Messages API accepts. */
const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

const DATA_URL = /^data:([^;,]+)((?:;[^;,]*)*),([\s\S]*)$/;

interface DataUrl {
  mediaType: string;
  base64: boolean;
  data: string;
}

function parseDataUrl(url: string): DataUrl | null {
  const match = DATA_URL.exec(url);
  if (!match) return null;
  const params = match[2]!.split(";").map((p) => p.trim().toLowerCase());
  return {
    mediaType: match[1]!.trim().toLowerCase(),
    base64: params.includes("base64"),
    data: match[3]!,
  };
}

function imageBlock(part: JsonRecord, param: string): Block {
  const image = part.image_url;
  const url = isRecord(image) ? image.url : image;
  if (typeof url !== "string" || url === "") {
    throw invalidRequest("an image_url part needs a url", `${param}.image_url.url`);
  }
  if (url.startsWith("data:")) {
    const data = parseDataUrl(url);
    if (data === null || !data.base64) {
      throw invalidRequest(
        "image data URLs must be base64-encoded (data:<type>;base64,…)",
        `${param}.image_url.url`,
      );
    }
    const mediaType = data.mediaType === "image/jpg" ? "image/jpeg" : data.mediaType;
    if (!IMAGE_TYPES.has(mediaType)) {
      throw invalidRequest(
        `Anthropic accepts JPEG, PNG, GIF and WebP images, not ${data.mediaType}`,
        `${param}.image_url.url`,
      );
    }
    return { type: "image", source: { type: "base64", media_type: mediaType, data: data.data } };
  }
  if (/^https?:\/\//i.test(url)) return { type: "image", source: { type: "url", url } };
  throw invalidRequest("image URLs must be data: or http(s): URLs", `${param}.image_url.url`);
}

function documentBlock(part: JsonRecord, param: string): Block {
  const file = isRecord(part.file) ? part.file : {};
  const data = typeof file.file_data === "string" ? parseDataUrl(file.file_data) : null;
  if (data === null || !data.base64 || data.mediaType !== "application/pdf") {
    throw invalidRequest(
      "file parts must carry a base64 PDF in file_data (file ids cannot be sent to Anthropic)",
      `${param}.file`,
    );
  }
  const block: Block = {
    type: "document",
    source: { type: "base64", media_type: "application/pdf", data: data.data },
  };
  if (typeof file.filename === "string" && file.filename !== "") block.title = file.filename;
  return block;
}

function partBlock(part: unknown, param: string): Block {
  if (!isRecord(part)) throw invalidRequest("content parts must be objects", param);
  let block: Block;
  switch (part.type) {
    case "text":
      if (typeof part.text !== "string") throw invalidRequest("a text part needs text", param);
      block = { type: "text", text: part.text };
      break;
    case "refusal":
      block = { type: "text", text: typeof part.refusal === "string" ? part.refusal : "" };
      break;
    case "image_url":
      block = imageBlock(part, param);
      break;
    case "file":
      block = documentBlock(part, param);
      break;
    default:
      throw invalidRequest(
        `content parts of type '${String(part.type)}' are not supported by Anthropic`,
        `${param}.type`,
      );
  }
  if (isRecord(part.cache_control)) block.cache_control = part.cache_control;
  return block;
}

/**
 * Content as blocks. Empty text blocks are dropped: the Messages API rejects them (OpenAI clients
 * send `""` next to tool calls).
 */
export function contentBlocks(content: unknown, param: string): Block[] {
  if (content === null || content === undefined) return [];
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  if (!Array.isArray(content)) {
    throw invalidRequest("message content must be a string or an array of parts", param);
  }
  return content
    .map((part, i) => partBlock(part, `${param}[${i}]`))
    .filter((b) => !(b.type === "text" && b.text === ""));
}

/** Text-only content (system prompts) as text blocks; other parts are a 400. */
export function textBlocks(content: unknown, param: string): Block[] {
  const blocks = contentBlocks(content, param);
  const other = blocks.find((b) => b.type !== "text");
  if (other) {
    throw invalidRequest(`only text parts are allowed here, not ${String(other.type)}`, param);
  }
  return blocks;
}
