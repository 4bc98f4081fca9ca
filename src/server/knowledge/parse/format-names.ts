import type { DocumentFormat } from "../types";

/**
 * What a file's name or declared MIME type claims it is. Plain-text files of common kinds
 * (data, config, source code) are parsed as txt; any other extension is refused, because an
 * unknown extension usually means a format whose bytes we would index as gibberish (RTF, EPUB…).
 */

const EXTENSIONS: Record<string, DocumentFormat> = {
  md: "md",
  markdown: "md",
  mdown: "md",
  mkd: "md",
  html: "html",
  htm: "html",
  xhtml: "html",
  pdf: "pdf",
  docx: "docx",
};

const PLAIN_TEXT_EXTENSIONS = new Set(
  (
    "txt text csv tsv log json jsonl ndjson xml yaml yml toml ini cfg conf env properties rst adoc asciidoc tex srt vtt " +
    "c h cc cpp cxx hpp cs go java kt kts swift rs rb py php pl pm js mjs cjs ts tsx jsx css scss less sql sh bash zsh " +
    "ps1 r scala lua dart vue svelte ex exs erl hs ml clj gradle tf proto graphql"
  ).split(" "),
);

const MIME_TYPES: Record<string, DocumentFormat> = {
  "text/plain": "txt",
  "text/markdown": "md",
  "text/x-markdown": "md",
  "text/html": "html",
  "application/xhtml+xml": "html",
  "application/pdf": "pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/json": "txt",
};

export type ClaimedFormat =
  | { kind: "known"; format: DocumentFormat }
  | { kind: "unknown-extension"; extension: string }
  | { kind: "none" };

export const SUPPORTED_FORMATS_SENTENCE =
  "Supported: .txt, .md, .html, .pdf and .docx, plus plain-text files such as .csv, .json or source code.";

export function baseName(filename: string): string {
  return filename.split(/[\\/]/).pop() || "the file";
}

export function extensionOf(filename: string): string | null {
  const name = baseName(filename);
  const dot = name.lastIndexOf(".");
  // ".env"-style names have no extension in this sense; neither does "README".
  if (dot <= 0 || dot === name.length - 1) return null;
  return name.slice(dot + 1).toLowerCase();
}

function mimeEssence(mimeType: string | undefined): string | null {
  const essence = mimeType?.split(";")[0]?.trim().toLowerCase();
  return essence ? essence : null;
}

export function mimeCharset(mimeType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([\w.:-]+)"?/i.exec(mimeType ?? "");
  return match?.[1];
}

export function claimedFormat(filename: string, mimeType: string | undefined): ClaimedFormat {
  const extension = extensionOf(filename);
  if (extension !== null) {
    const format = EXTENSIONS[extension] ?? (PLAIN_TEXT_EXTENSIONS.has(extension) ? "txt" : undefined);
    if (format !== undefined) return { kind: "known", format };
  }
  const essence = mimeEssence(mimeType);
  if (essence !== null) {
    const format = MIME_TYPES[essence] ?? (essence.startsWith("text/") ? "txt" : undefined);
    if (format !== undefined) return { kind: "known", format };
  }
  if (extension !== null) return { kind: "unknown-extension", extension };
  return { kind: "none" };
}
