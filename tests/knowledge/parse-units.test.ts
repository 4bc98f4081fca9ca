import { describe, expect, it } from "vitest";
import { claimedFormat } from "~/server/knowledge/parse/format-names";
import { findMarkdownSections } from "~/server/knowledge/parse/markdown-sections";
import { normalizeBlock } from "~/server/knowledge/parse/normalize-whitespace";
import { DocumentError, parseDocument } from "~/server/knowledge/parse";
import { TextAssembler } from "~/server/knowledge/parse/text-assembler";
import { ZipFormatError, readZipDirectory } from "~/server/knowledge/parse/zip-directory";

describe("normalizeBlock", () => {
  it("unifies line ends, collapses horizontal space, trims lines and blank-line runs", () => {
    expect(normalizeBlock("  a\r\nb\rc\u2028d\u000be\ff  ")).toBe("a\nb\nc\nd\ne\nf");
    expect(normalizeBlock("one \t\u00a0\u3000 two\u2003three")).toBe("one two three");
    expect(normalizeBlock("p1  \n \n\n\t\n p2\n\n\n\n\np3")).toBe("p1\n\np2\n\np3");
  });

  it("removes NULs, other control characters, BOMs and soft hyphens; NEL is a line break", () => {
    expect(normalizeBlock("a\u0000b\u0007c\u001bd\u007fe\u0085f\ufeffg hy\u00adphen")).toBe("abcde\nfg hyphen");
  });
});

describe("TextAssembler", () => {
  it("merges requested breaks (strongest wins), drops leading ones and records offsets", () => {
    const assembler = new TextAssembler("doc", 1000);
    assembler.requestBreak("\n\n");
    assembler.startPage(1);
    assembler.addHeading("  Title \n here ", 1);
    assembler.requestBreak("\n");
    assembler.addBlock("first");
    assembler.requestBreak("\n");
    assembler.addBlock("   "); // normalizes to nothing: no block, no offset
    assembler.startPage(2);
    assembler.addBlock("second", "\n");
    assembler.startPage(3);
    expect(assembler.finish()).toEqual({
      text: "Title here\n\nfirst\nsecond",
      sections: [{ heading: "Title here", level: 1, start: 0 }],
      pages: [
        { page: 1, start: 0 },
        { page: 2, start: 18 },
        { page: 3, start: 24 },
      ],
    });
  });

  it("refuses text beyond maxChars with too_large", () => {
    const assembler = new TextAssembler("big.docx", 10);
    assembler.addBlock("12345");
    expect(() => assembler.addBlock("67890")).toThrow(DocumentError);
  });
});

describe("findMarkdownSections", () => {
  it("handles fences of either kind, closing hashes, and non-headings", () => {
    const text = [
      "#hashtag is not a heading", // 0
      "",
      "~~~",
      "## inside tilde fence",
      "```",
      "~~~",
      "",
      "#### Deep ##",
      "",
      "- list item",
      "---",
      "",
      "Setext One",
      "===",
    ].join("\n");
    expect(findMarkdownSections(text)).toEqual([
      { heading: "Deep", level: 4, start: text.indexOf("#### Deep") },
      { heading: "Setext One", level: 1, start: text.indexOf("Setext One") },
    ]);
  });

  it("treats everything after an unclosed fence as code", () => {
    expect(findMarkdownSections("# A\n\n```\n# B\n\n# C")).toEqual([{ heading: "A", level: 1, start: 0 }]);
  });
});

describe("claimedFormat", () => {
  it("trusts a known extension over the MIME type, and the MIME type over an unknown extension", () => {
    expect(claimedFormat("a.md", "text/html")).toEqual({ kind: "known", format: "md" });
    expect(claimedFormat("a.xyz", "text/plain")).toEqual({ kind: "known", format: "txt" });
    expect(claimedFormat("a.xyz", "application/octet-stream")).toEqual({ kind: "unknown-extension", extension: "xyz" });
    expect(claimedFormat("upload", "application/pdf; charset=binary")).toEqual({ kind: "known", format: "pdf" });
    expect(claimedFormat(".env", undefined)).toEqual({ kind: "none" });
    expect(claimedFormat("REPORT.PDF", undefined)).toEqual({ kind: "known", format: "pdf" });
    expect(claimedFormat("dir.v2/notes", undefined)).toEqual({ kind: "none" });
  });
});

describe("HTML edge cases", () => {
  const html = (source: string) => parseDocument({ bytes: new Uint8Array(Buffer.from(source)), filename: "x.html" });

  it("skips nested hidden content and survives unclosed tags", async () => {
    const doc = await html(
      '<nav><script>x()</script><p>menu</p></nav><div aria-hidden="true">icon</div><p>Kept &lt;text&gt; <span>unclosed<div>block',
    );
    expect(doc.text).toBe("Kept <text> unclosed\n\nblock");
  });

  it("keeps a heading's inline breaks as spaces and ignores headings inside table cells", async () => {
    const doc = await html("<h2>Two<br>lines &amp; more</h2><table><tr><td><h3>cell</h3></td><td>x</td></tr></table>");
    expect(doc.text).toBe("Two lines & more\n\ncell | x");
    expect(doc.sections).toEqual([{ heading: "Two lines & more", level: 2, start: 0 }]);
  });
});

describe("readZipDirectory", () => {
  function centralEntry(name: string, size32: number, extra: Buffer = Buffer.alloc(0)): Buffer {
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt32LE(size32, 24);
    header.writeUInt16LE(Buffer.byteLength(name), 28);
    header.writeUInt16LE(extra.byteLength, 30);
    return Buffer.concat([header, Buffer.from(name), extra]);
  }

  function endRecord(count: number, size: number, offset: number): Buffer {
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(count, 8);
    end.writeUInt16LE(count, 10);
    end.writeUInt32LE(size, 12);
    end.writeUInt32LE(offset, 16);
    return end;
  }

  it("reads ZIP64 sizes from the extra field and the ZIP64 end record", () => {
    const extra = Buffer.alloc(12);
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(8, 2);
    extra.writeBigUInt64LE(5_000_000_000n, 4);
    const directory = centralEntry("word/document.xml", 0xffffffff, extra);
    const zip64End = Buffer.alloc(56);
    zip64End.writeUInt32LE(0x06064b50, 0);
    zip64End.writeBigUInt64LE(1n, 32);
    zip64End.writeBigUInt64LE(BigInt(directory.byteLength), 40);
    zip64End.writeBigUInt64LE(0n, 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(directory.byteLength), 8);
    const bytes = Buffer.concat([directory, zip64End, locator, endRecord(0xffff, 0xffffffff, 0xffffffff)]);
    expect(readZipDirectory(new Uint8Array(bytes))).toEqual([{ name: "word/document.xml", uncompressedSize: 5_000_000_000 }]);
  });

  it("finds the end record behind an archive comment", () => {
    const directory = centralEntry("a.txt", 3);
    const end = endRecord(1, directory.byteLength, 0);
    end.writeUInt16LE(5, 20);
    const bytes = Buffer.concat([directory, end, Buffer.from("hello")]);
    expect(readZipDirectory(new Uint8Array(bytes))).toEqual([{ name: "a.txt", uncompressedSize: 3 }]);
  });

  it("rejects truncated and garbage directories", () => {
    expect(() => readZipDirectory(new Uint8Array(10))).toThrow(ZipFormatError);
    expect(() => readZipDirectory(new Uint8Array(Buffer.concat([Buffer.alloc(10), endRecord(3, 46, 0)])))).toThrow(
      /central directory truncated/,
    );
  });
});
