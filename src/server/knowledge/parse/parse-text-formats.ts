import type { ParsedDocument } from "../types";
import { decodeText, sniffHtmlCharset } from "./decode-text";
import { DocumentError } from "./document-error";
import { extractHtmlText } from "./html-text";
import { findMarkdownSections } from "./markdown-sections";
import { TextAssembler } from "./text-assembler";

/** txt, md and html: decoded as text, then normalized (see normalize-whitespace.ts). */

export interface TextInput {
  bytes: Uint8Array;
  name: string;
  charset: string | undefined;
  maxChars: number;
}

function onlyWhitespace(name: string): DocumentError {
  return new DocumentError("empty", `${name} contains only whitespace. Upload a file that contains text.`);
}

export function parsePlainText(input: TextInput): ParsedDocument {
  const { text: raw, warnings } = decodeText(input.bytes, input.name, input.charset);
  const assembler = new TextAssembler(input.name, input.maxChars);
  assembler.addBlock(raw);
  const { text } = assembler.finish();
  if (text === "") throw onlyWhitespace(input.name);
  return { text, format: "txt", warnings };
}

export function parseMarkdown(input: TextInput): ParsedDocument {
  const { text: raw, warnings } = decodeText(input.bytes, input.name, input.charset);
  const assembler = new TextAssembler(input.name, input.maxChars);
  assembler.addBlock(raw);
  const { text } = assembler.finish();
  if (text === "") throw onlyWhitespace(input.name);
  return { text, format: "md", sections: findMarkdownSections(text), warnings };
}

export function parseHtml(input: TextInput): ParsedDocument {
  // As in browsers: a charset in the Content-Type beats the one the page declares.
  const charset = input.charset ?? sniffHtmlCharset(input.bytes);
  const { text: html, warnings } = decodeText(input.bytes, input.name, charset);
  if (html.trim() === "") throw onlyWhitespace(input.name);
  const assembler = new TextAssembler(input.name, input.maxChars);
  extractHtmlText(html, assembler);
  const { text, sections } = assembler.finish();
  if (text === "") {
    throw new DocumentError(
      "no_text",
      `${input.name} has no visible text (only markup, scripts or images). Upload the page's content, or a PDF or text version of it.`,
    );
  }
  return { text, format: "html", sections, warnings };
}
