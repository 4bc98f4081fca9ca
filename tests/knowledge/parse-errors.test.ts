import { mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_PARSE_LIMITS,
  DocumentError,
  assertDocumentSize,
  documentErrorStatus,
  parseDocument,
  type DocumentErrorCode,
} from "~/server/knowledge/parse";
import { buildDocx } from "./helpers/docx-builder";
import { fixture } from "./helpers/fixtures";
import { writeZip } from "./helpers/zip-writer";

/** Bad files end in a DocumentError with a documented code and a message that says what to do. */

async function failure(promise: Promise<unknown>): Promise<DocumentError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DocumentError);
    return error as DocumentError;
  }
  throw new Error("expected a DocumentError, but parsing succeeded");
}

function parseFixture(name: string, filename = name) {
  return parseDocument({ bytes: fixture(name), filename });
}

const cases: [fixture: string, code: DocumentErrorCode, message: RegExp][] = [
  ["empty.txt", "empty", /^empty\.txt is empty \(0 bytes\)\. Upload a file that contains text\.$/],
  ["whitespace.txt", "empty", /only whitespace/],
  ["corrupt.pdf", "corrupt", /^corrupt\.pdf could not be read as a PDF \(.+\)\. It may be damaged or truncated/],
  ["encrypted.pdf", "encrypted", /^encrypted\.pdf is password-protected\. Save a copy without the password/],
  ["scanned.pdf", "no_text", /no extractable text in its 2 page\(s\); it is probably scanned images\. Run OCR/],
  ["not-really.pdf", "corrupt", /^not-really\.pdf is not a valid PDF file: it lacks the %PDF- header and looks like an HTML page/],
  ["zip-renamed.docx", "unsupported_type", /^zip-renamed\.docx is a ZIP archive, not a Word document \(it has no word\/document\.xml\)/],
  ["damaged.docx", "corrupt", /^damaged\.docx could not be read as a Word document \(.+\)\. Open it in Word, save it again/],
  ["truncated.docx", "corrupt", /^truncated\.docx is a damaged ZIP\/Office file \(end of central directory not found\)/],
  ["images-only.docx", "no_text", /contains no text/],
  ["protected.docx", "encrypted", /^protected\.docx is password-protected\. Remove the password in Word/],
  ["legacy.doc", "unsupported_type", /legacy Microsoft Office file.*save it as \.docx or PDF/],
  ["garbage.txt", "unsupported_type", /^garbage\.txt does not look like text: \d+% of it is binary or undecodable data/],
  ["photo.txt", "unsupported_type", /^photo\.txt is a PNG image, not text\./],
  ["notes.rtf", "unsupported_type", /^notes\.rtf is an RTF document\. Save it as \.docx, PDF or plain text/],
  ["data.xyz", "unsupported_type", /^data\.xyz: \.xyz files are not supported\. Supported: \.txt, \.md/],
  ["scripts-only.html", "no_text", /has no visible text/],
];

describe("bad files", () => {
  it.each(cases)("%s → %s", async (name, code, message) => {
    const error = await failure(parseFixture(name));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it("parses a PDF named .txt as a PDF, with a warning", async () => {
    const doc = await parseFixture("pdf-named.txt");
    expect(doc.format).toBe("pdf");
    expect(doc.text.startsWith("Switchyard Field Guide")).toBe(true);
    expect(doc.warnings).toEqual(["pdf-named.txt is named as plain text but its content is PDF; it was parsed as PDF."]);
  });

  it("parses a DOCX named .pdf as a DOCX, with a warning", async () => {
    const doc = await parseDocument({ bytes: fixture("sample.docx"), filename: "manual.pdf" });
    expect(doc.format).toBe("docx");
    expect(doc.warnings).toEqual(["manual.pdf is named as PDF but its content is Word (.docx); it was parsed as Word (.docx)."]);
  });

  it("reads text that merely mentions %PDF- as the text its name says it is", async () => {
    const bytes = new Uint8Array(Buffer.from("Notes on the format: every file starts with %PDF-1.7 and ends with %%EOF."));
    const doc = await parseDocument({ bytes, filename: "notes.md" });
    expect(doc.format).toBe("md");
  });

  it("refuses an Excel workbook and names it", async () => {
    const xlsx = writeZip([{ name: "[Content_Types].xml", data: "<Types/>" }, { name: "xl/workbook.xml", data: "<workbook/>" }]);
    const error = await failure(parseDocument({ bytes: xlsx, filename: "budget.docx" }));
    expect(error.code).toBe("unsupported_type");
    expect(error.message).toMatch(/^budget\.docx is an Excel workbook, not a Word document/);
  });

  it("refuses a zip bomb from its declared sizes before inflating it", async () => {
    const bomb = buildDocx([{ kind: "p", text: "small" }], { declaredSize: 3_000_000_000 });
    const error = await failure(parseDocument({ bytes: bomb, filename: "bomb.docx" }));
    expect(error.code).toBe("too_large");
    expect(error.message).toMatch(/^bomb\.docx expands to 2861\.0 MB of document data; the limit is 100\.0 MB\./);
  });

  it("refuses text longer than maxChars", async () => {
    const bytes = new Uint8Array(Buffer.from("word ".repeat(100)));
    const error = await failure(parseDocument({ bytes, filename: "long.txt" }, { maxChars: 50 }));
    expect(error.code).toBe("too_large");
    expect(error.message).toMatch(/expands to more than 50 characters of text/);
  });

  it("refuses a PDF with more pages than maxPages", async () => {
    const error = await failure(parseDocument({ bytes: fixture("sample.pdf"), filename: "big.pdf" }, { maxPages: 1 }));
    expect(error.code).toBe("too_large");
    expect(error.message).toBe("big.pdf has 2 pages; the limit is 1. Split it into smaller PDFs and upload those.");
  });

  it("maps every code to a client error status", () => {
    expect(documentErrorStatus("too_large")).toBe(413);
    for (const code of ["empty", "unsupported_type", "corrupt", "no_text", "encrypted"] as const) {
      expect(documentErrorStatus(code)).toBe(400);
    }
  });

  it("names the file without its directories", async () => {
    const error = await failure(parseDocument({ bytes: new Uint8Array(0), filename: "uploads/2025/empty.txt" }));
    expect(error.message.startsWith("empty.txt is empty")).toBe(true);
  });
});

describe("size limit", () => {
  it("refuses 100 MB at once, without reading the bytes or growing memory", async () => {
    const bytes = new Uint8Array(100 * 1024 * 1024); // zero-filled pages the OS has not committed
    const before = process.memoryUsage();
    const started = performance.now();
    const error = await failure(parseDocument({ bytes, filename: "huge.pdf" }));
    const elapsed = performance.now() - started;
    const after = process.memoryUsage();
    expect(error.code).toBe("too_large");
    expect(error.message).toBe("huge.pdf is 100.0 MB; the limit is 50.0 MB. Split it into smaller files and upload those.");
    expect(elapsed).toBeLessThan(50);
    // Neither decoded into strings (heap) nor copied (array buffers).
    expect(after.heapUsed - before.heapUsed).toBeLessThan(5 * 1024 * 1024);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(5 * 1024 * 1024);
  });

  it("lets a route refuse a 100 MB file by its size alone, before reading it", () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), "switchyard-knowledge-"));
    try {
      const file = path.join(directory, "scan.pdf");
      writeFileSync(file, "");
      truncateSync(file, 100 * 1024 * 1024); // sparse: no data blocks are written
      expect(() => assertDocumentSize(statSync(file).size, "scan.pdf", DEFAULT_PARSE_LIMITS.maxBytes)).toThrow(
        expect.objectContaining({ code: "too_large", message: expect.stringMatching(/^scan\.pdf is 100\.0 MB; the limit is 50\.0 MB\./) }),
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("applies a configured maxBytes", async () => {
    const bytes = new Uint8Array(Buffer.from("x".repeat(2048)));
    const error = await failure(parseDocument({ bytes, filename: "a.txt" }, { maxBytes: 1024 }));
    expect(error.code).toBe("too_large");
    expect(error.message).toBe("a.txt is 2.0 KB; the limit is 1.0 KB. Split it into smaller files and upload those.");
  });

  it("rejects nonsensical limits as a programming error", async () => {
    await expect(parseDocument({ bytes: new Uint8Array(1), filename: "a.txt" }, { maxBytes: 0 })).rejects.toThrow(RangeError);
  });
});

describe("hostile bytes", () => {
  const names = ["a.txt", "a.md", "a.html", "a.pdf", "a.docx", "a", "a.bin"];
  const prefixes = [
    new Uint8Array(0),
    new Uint8Array(Buffer.from("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")),
    new Uint8Array([0x50, 0x4b, 0x03, 0x04]),
    new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    new Uint8Array(Buffer.from("<html><body><h1>")),
  ];

  it("either parses or throws a DocumentError, never anything else", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...prefixes),
        fc.uint8Array({ maxLength: 2048 }),
        fc.constantFrom(...names),
        async (prefix, tail, filename) => {
          const bytes = new Uint8Array(prefix.byteLength + tail.byteLength);
          bytes.set(prefix);
          bytes.set(tail, prefix.byteLength);
          try {
            const doc = await parseDocument({ bytes, filename });
            expect(typeof doc.text).toBe("string");
            expect(doc.text.length).toBeGreaterThan(0);
          } catch (error) {
            if (!(error instanceof DocumentError)) throw error;
            expect(error.message.length).toBeGreaterThan(20);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("copes with damaged and truncated copies of real PDFs and DOCX files", async () => {
    const originals = [fixture("sample.pdf"), fixture("sample.docx")];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 1),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 20 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (which, edits, cutAt) => {
          const original = originals[which]!;
          const bytes = original.slice(0, cutAt === undefined ? undefined : Math.max(1, cutAt % original.byteLength));
          for (const [position, value] of edits) bytes[position % bytes.byteLength] = value;
          try {
            await parseDocument({ bytes, filename: which === 0 ? "a.pdf" : "a.docx" });
          } catch (error) {
            if (!(error instanceof DocumentError)) throw error;
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it("reports a DOCX whose document part is not XML as corrupt, with a one-line cause", async () => {
    const docx = writeZip([{ name: "word/document.xml", data: "this is <<< not xml" }]);
    const error = await failure(parseDocument({ bytes: docx, filename: "odd.docx" }));
    expect(error.code).toBe("corrupt");
    expect(error.message).toMatch(/^odd\.docx could not be read as a Word document \([^\n\t]{1,120}\)\. Open it in Word/);
  });
});
