import { describe, expect, it } from "vitest";
import { expiryFromDateInput, metadataFromRows, parseModelList } from "./key-form-values";

describe("create-key form values", () => {
  it("splits allowed models on commas and new lines, dropping blanks and duplicates", () => {
    expect(parseModelList(" gpt-4o-mini, claude-sonnet-4-5\n\ngpt-4o-mini ,")).toEqual([
      "gpt-4o-mini",
      "claude-sonnet-4-5",
    ]);
    expect(parseModelList("  \n , ")).toEqual([]);
  });

  it("builds metadata from rows, skipping empty rows", () => {
    expect(
      metadataFromRows([
        { key: " team ", value: "search" },
        { key: "", value: "" },
        { key: "env", value: "" },
      ]),
    ).toEqual({ ok: true, metadata: { team: "search", env: "" } });
  });

  it("refuses a value without a key and a key used twice", () => {
    expect(metadataFromRows([{ key: " ", value: "x" }])).toEqual({
      ok: false,
      error: "Every metadata value needs a key.",
    });
    const dup = metadataFromRows([
      { key: "team", value: "a" },
      { key: "team ", value: "b" },
    ]);
    expect(dup.ok).toBe(false);
  });

  it("expires at the end of the chosen local day, or never", () => {
    const d = expiryFromDateInput("2031-03-09")!;
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()]).toEqual([
      2031, 2, 9, 23, 59,
    ]);
    expect(expiryFromDateInput("")).toBeNull();
    expect(expiryFromDateInput("not a date")).toBeNull();
  });
});
