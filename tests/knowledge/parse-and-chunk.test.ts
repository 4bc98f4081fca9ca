import { describe, expect, it } from "vitest";
import { countTokens } from "gpt-tokenizer";
import { chunkText } from "~/server/knowledge/chunk";
import { parseDocument } from "~/server/knowledge/parse";
import { fixture } from "./helpers/fixtures";

/** The two layers together, as ingestion will use them, and the chunker's speed. */

describe("parse then chunk", () => {
  it("chunks Markdown under its headings", async () => {
    // Cuts at the heading boundaries 54 and 142 (each in its chunk's second half); the rest
    // from "Limits" (85 characters) fits in one chunk, so it is not cut at "### Budgets".
    const doc = await parseDocument({ bytes: fixture("sample.md"), filename: "sample.md" });
    expect(doc.text.length).toBe(229);
    const chunks = chunkText(doc, { size: 100, overlap: 20 });
    expect(chunks.map(({ start, end, heading }) => ({ start, end, heading }))).toEqual([
      { start: 0, end: 54, heading: "Switchyard Guide" },
      { start: 56, end: 142, heading: "Install" },
      { start: 144, end: 229, heading: "Limits" },
    ]);
    expect(chunks[1]!.text).toBe("## Install\n\nRun the installer.\n\n```bash\n# not a heading: a shell comment\nnpm start\n```");
  });

  it("chunks a PDF with the page each chunk starts on", async () => {
    const doc = await parseDocument({ bytes: fixture("sample.pdf"), filename: "sample.pdf" });
    // Lines: title [0,22), [24,82), [83,140), [142,201); page 2 [203,255). Cuts at the sentence
    // end 82, then paragraph breaks 140 and 201; overlaps start at the first word ≥ end − 30.
    // The last chunk starts at 177, on page 1, though it runs onto page 2.
    const chunks = chunkText(doc, { size: 100, overlap: 30 });
    expect(chunks.map(({ start, end, page }) => ({ start, end, page }))).toEqual([
      { start: 0, end: 82, page: 1 },
      { start: 54, end: 140, page: 1 },
      { start: 117, end: 201, page: 1 },
      { start: 177, end: 255, page: 1 },
    ]);
    const onPageTwo = chunkText(doc, { size: 100, overlap: 0 }).at(-1);
    expect(onPageTwo).toMatchObject({ start: 203, end: 255, page: 2 });
    for (const chunk of chunks) expect(chunk.end - chunk.start).toBeLessThanOrEqual(100);
  });

  it("counts tokens with gpt-tokenizer when given its counter", async () => {
    const doc = await parseDocument({ bytes: fixture("sample.docx"), filename: "sample.docx" });
    const chunks = chunkText(doc, { size: 120, overlap: 0, countTokens });
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.tokens).toBe(countTokens(chunk.text));
      expect(chunk.tokens).toBeGreaterThan(0);
    }
  });
});

describe("speed", () => {
  it("chunks 1 MB of prose in well under 100 ms of CPU", () => {
    const paragraph =
      "Switchyard forwards each request to the provider a route names. It reserves the cost first, e.g. 3.5 cents, then settles it. Dr. Ops reads the log! ";
    const text = Array.from({ length: 7200 }, (_, index) => (index % 6 === 5 ? `${paragraph}\n\n` : paragraph)).join("").slice(0, 1_000_000);
    expect(text.length).toBe(1_000_000);
    // Warm up the JIT, then take the best of five runs: the machine is shared, and the
    // process's CPU time also counts background compiler and GC threads.
    for (let run = 0; run < 3; run++) chunkText(text);
    const timings: number[] = [];
    let chunkCount = 0;
    for (let run = 0; run < 5; run++) {
      const before = process.cpuUsage();
      chunkCount = chunkText(text, { size: 1000, overlap: 200 }).length;
      const used = process.cpuUsage(before);
      timings.push((used.user + used.system) / 1000);
    }
    const best = Math.min(...timings);
    expect(chunkCount).toBeGreaterThan(1000);
    expect(best).toBeLessThan(100);
  });
});
