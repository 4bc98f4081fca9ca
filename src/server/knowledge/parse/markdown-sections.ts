import type { DocumentSection } from "../types";

/**
 * Headings of normalized Markdown text: ATX (`## Title`, optional closing #s) and setext
 * (a one-line paragraph underlined with === or ---). Lines inside ``` or ~~~ fences are code,
 * never headings. `start` is the offset of the heading's first line.
 */

const ATX = /^(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^(`{3,}|~{3,})/;
const SETEXT_H1 = /^=+$/;
const SETEXT_H2 = /^-+$/;
// A line starting like a list item, quote or table row cannot be a setext heading's text.
const NOT_SETEXT_TEXT = /^(?:[-*+>|#]|\d+[.)](?:\s|$))/;

export function findMarkdownSections(text: string): DocumentSection[] {
  const sections: DocumentSection[] = [];
  const lines = text.split("\n");
  let offset = 0;
  let fence: string | null = null;
  let previousBlank = true;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    const lineStart = offset;
    offset += line.length + 1;
    const fenceMatch = FENCE.exec(line);
    if (fence !== null) {
      if (fenceMatch?.[1] !== undefined && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length) fence = null;
      previousBlank = false;
      continue;
    }
    if (fenceMatch?.[1] !== undefined) {
      fence = fenceMatch[1];
      previousBlank = false;
      continue;
    }
    const atx = ATX.exec(line);
    const heading = atx?.[2]?.trim();
    if (atx?.[1] !== undefined && heading) {
      sections.push({ heading, level: atx[1].length, start: lineStart });
    } else if (previousBlank && line !== "" && !NOT_SETEXT_TEXT.test(line)) {
      const underline = lines[index + 1] ?? "";
      const level = SETEXT_H1.test(underline) ? 1 : SETEXT_H2.test(underline) ? 2 : 0;
      if (level > 0) sections.push({ heading: line.trim(), level, start: lineStart });
    }
    previousBlank = line === "";
  }
  return sections;
}
