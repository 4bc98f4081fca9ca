/**
 * A minimal PDF writer for test fixtures: uncompressed content streams, the standard
 * Helvetica font, a correct cross-reference table. Byte-for-byte deterministic.
 */

export interface PdfSpec {
  /** One content stream per page (PDF operators). */
  pages: string[];
  /** An /Encrypt dictionary body; with it the trailer also gets an /ID. */
  encrypt?: string;
}

export function escapePdfString(text: string): string {
  return text.replace(/[\\()]/g, (char) => `\\${char}`);
}

/** Content that shows lines of text: [x, y, fontSize, text] each in its own BT/ET block. */
export function textLines(lines: [number, number, number, string][]): string {
  return lines.map(([x, y, size, text]) => `BT /F1 ${size} Tf ${x} ${y} Td (${escapePdfString(text)}) Tj ET`).join("\n");
}

export function writePdf(spec: PdfSpec): Uint8Array {
  const objects: string[] = [];
  const pageCount = spec.pages.length;
  // 1: catalog, 2: pages, 3: font, then per page: page object + content stream.
  const pageIds = spec.pages.map((_, index) => 4 + index * 2);
  objects.push("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pageCount} >>`);
  objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  for (const [index, content] of spec.pages.entries()) {
    const pageId = pageIds[index] ?? 0;
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageId + 1} 0 R >>`,
    );
    objects.push(`<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`);
  }
  let encryptId = 0;
  if (spec.encrypt !== undefined) {
    objects.push(spec.encrypt);
    encryptId = objects.length;
  }
  let body = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n";
  const offsets: number[] = [];
  for (const [index, object] of objects.entries()) {
    offsets.push(Buffer.byteLength(body, "latin1"));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  }
  const xrefOffset = Buffer.byteLength(body, "latin1");
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  const id = "<00112233445566778899aabbccddeeff>";
  const extra = encryptId > 0 ? ` /Encrypt ${encryptId} 0 R /ID [${id} ${id}]` : "";
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${extra} >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, "latin1"));
}
