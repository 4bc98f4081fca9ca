import { describe, expect, it } from "vitest";
import { parseDocument } from "~/server/knowledge/parse";
import { fixture } from "./helpers/fixtures";

/** Each supported format, parsed from a committed fixture (see tests/fixtures/knowledge/generate.ts). */

async function parseFixture(name: string, mimeType?: string) {
  return parseDocument({ bytes: fixture(name), filename: name, mimeType });
}

describe("plain text", () => {
  it("strips the BOM and NULs, normalizes line ends, spaces and blank lines", async () => {
    const doc = await parseFixture("sample.txt");
    expect(doc).toEqual({
      text: "Switchyard notes\n\nThe gateway forwards requests. It records cost.\nSecond line.\n\nLast paragraph.",
      format: "txt",
      warnings: [],
    });
  });

  it("decodes UTF-16LE with a BOM", async () => {
    const doc = await parseFixture("utf16le.txt");
    expect(doc.text).toBe("Grüße aus Zürich.\nZweite Zeile.");
    expect(doc.warnings).toEqual([]);
  });

  it("decodes UTF-16 without a BOM when every other byte is zero", async () => {
    const le = await parseDocument({ bytes: new Uint8Array(Buffer.from("Plain words, no BOM.", "utf16le")), filename: "a.txt" });
    expect(le.text).toBe("Plain words, no BOM.");
    const be = Buffer.from("Big endian text.", "utf16le").swap16();
    expect((await parseDocument({ bytes: new Uint8Array(be), filename: "b.txt" })).text).toBe("Big endian text.");
  });

  it("replaces invalid UTF-8 with U+FFFD and says so in a warning", async () => {
    const doc = await parseFixture("invalid-utf8.txt");
    expect(doc.text).toBe("Caf\uFFFD au lait, cr\uFFFDme brûlée.");
    expect(doc.warnings).toHaveLength(1);
    expect(doc.warnings[0]).toMatch(/invalid-utf8\.txt is not valid UTF-8: 2 invalid byte sequence\(s\) were replaced/);
    expect(doc.warnings[0]).toMatch(/Save the file as UTF-8/);
  });

  it("honours a charset in the MIME type", async () => {
    const bytes = new Uint8Array([0x43, 0x61, 0x66, 0xe9]); // "Café" in windows-1252
    const doc = await parseDocument({ bytes, filename: "menu.txt", mimeType: "text/plain; charset=windows-1252" });
    expect(doc).toEqual({ text: "Café", format: "txt", warnings: [] });
  });

  it("reads plain-text kinds (csv, json, source) and names without an extension as txt", async () => {
    const bytes = new Uint8Array(Buffer.from("a,b\n1,2\n"));
    expect((await parseDocument({ bytes, filename: "table.csv" })).format).toBe("txt");
    expect((await parseDocument({ bytes, filename: "main.py" })).format).toBe("txt");
    expect((await parseDocument({ bytes, filename: "README" })).format).toBe("txt");
  });

  it("uses the MIME type when the name says nothing", async () => {
    const bytes = new Uint8Array(Buffer.from("# Title\n\nBody"));
    const doc = await parseDocument({ bytes, filename: "upload", mimeType: "text/markdown" });
    expect(doc.format).toBe("md");
    expect(doc.sections).toEqual([{ heading: "Title", level: 1, start: 0 }]);
  });
});

describe("markdown", () => {
  it("keeps the text and records ATX and setext headings, not shell comments in fences", async () => {
    const doc = await parseFixture("sample.md");
    expect(doc.format).toBe("md");
    expect(doc.text).toBe(
      "# Switchyard Guide\n\nIntro paragraph about the gateway.\n\n## Install\n\nRun the installer.\n\n```bash\n# not a heading: a shell comment\nnpm start\n```\n\nLimits\n------\n\nEach key has limits. ###\n\n### Budgets ###\n\nBudgets reserve cost first.",
    );
    expect(doc.sections).toEqual([
      { heading: "Switchyard Guide", level: 1, start: 0 },
      { heading: "Install", level: 2, start: 56 },
      { heading: "Limits", level: 2, start: 144 },
      { heading: "Budgets", level: 3, start: 185 },
    ]);
    for (const section of doc.sections ?? []) {
      expect(doc.text.slice(section.start)).toMatch(new RegExp(`^(#+ )?${section.heading}`));
    }
  });
});

describe("html", () => {
  it("keeps visible text with block breaks, drops scripts, styles, nav and hidden elements", async () => {
    const doc = await parseFixture("sample.html");
    expect(doc).toEqual({
      text:
        "Switchyard & Friends\n\nThe gateway forwards requests — and records cost.\n\nLists\n\nFirst item\nSecond bold item\n\n" +
        "Model | Price\ngpt-4o | 2.50\n\nline one\nline two\n\nBreak\nafter break.\n\nFooter text © 2025",
      format: "html",
      sections: [
        { heading: "Switchyard & Friends", level: 1, start: 0 },
        { heading: "Lists", level: 2, start: 73 },
      ],
      warnings: [],
    });
    expect(doc.text.slice(73, 78)).toBe("Lists");
  });

  it("decodes a legacy charset declared in a meta tag", async () => {
    const html = Buffer.concat([
      Buffer.from('<html><head><meta charset="windows-1252"></head><body><p>Na', "latin1"),
      Buffer.from([0xef]),
      Buffer.from("ve caf", "latin1"),
      Buffer.from([0xe9]),
      Buffer.from("</p></body></html>", "latin1"),
    ]);
    const doc = await parseDocument({ bytes: new Uint8Array(html), filename: "old.htm" });
    expect(doc.text).toBe("Naïve café");
    expect(doc.warnings).toEqual([]);
  });

  it("lets a charset in the MIME type override the page's meta tag", async () => {
    const html = '<html><head><meta charset="windows-1252"></head><body><p>Grüße</p></body></html>';
    const doc = await parseDocument({ bytes: new Uint8Array(Buffer.from(html)), filename: "p.html", mimeType: "text/html; charset=utf-8" });
    expect(doc.text).toBe("Grüße");
  });

  it("joins a cell's paragraphs with spaces and keeps rows on their own lines", async () => {
    const html = "<table><tr><td><p>a</p><p>b</p></td><td>c</td></tr><tr><td>d</td><td>e</td></tr></table><p>after</p>";
    const doc = await parseDocument({ bytes: new Uint8Array(Buffer.from(html)), filename: "t.html" });
    expect(doc.text).toBe("a b | c\nd | e\n\nafter");
  });
});

describe("pdf", () => {
  it("extracts text page by page with exact page offsets and inferred paragraphs", async () => {
    const doc = await parseFixture("sample.pdf");
    expect(doc).toEqual({
      text:
        "Switchyard Field Guide\n\nSwitchyard is a self-hostable gateway for language models.\nIt forwards requests to providers and records their cost.\n\n" +
        "Budgets hold because every request reserves its cost first.\n\nPage two explains caching: exact answers are reused.",
      format: "pdf",
      pages: [
        { page: 1, start: 0 },
        { page: 2, start: 203 },
      ],
      warnings: [],
    });
    expect(doc.text.slice(203)).toBe("Page two explains caching: exact answers are reused.");
  });
});

describe("docx", () => {
  it("extracts paragraphs, headings (Title, Heading 1/2), tables and tabs", async () => {
    const doc = await parseFixture("sample.docx");
    expect(doc).toEqual({
      text:
        "Switchyard Operations Manual\n\nGetting started\n\nInstall the gateway and point your SDK at it. Café, 日本語.\n\nBudgets are strict.\n\n" +
        "Keys and limits\n\nEach key has a rate limit.\n\nModel | Price\ngpt-4o | 2.50\n\nColumn A Column B",
      format: "docx",
      sections: [
        { heading: "Switchyard Operations Manual", level: 1, start: 0 },
        { heading: "Getting started", level: 1, start: 30 },
        { heading: "Keys and limits", level: 2, start: 126 },
      ],
      warnings: [],
    });
    for (const section of doc.sections ?? []) expect(doc.text.startsWith(section.heading, section.start)).toBe(true);
  });
});
