import { describe, expect, it } from "vitest";
import { UsageError } from "~/cli/cli-error";
import { parseExpires, parseMetadata, parseModels } from "~/cli/parse-args";

const now = new Date("2030-06-15T12:00:00Z");

describe("--expires", () => {
  it.each([
    ["30d", "2030-07-15T12:00:00.000Z"],
    ["12h", "2030-06-16T00:00:00.000Z"],
    ["2w", "2030-06-29T12:00:00.000Z"],
    ["2031-01-31", "2031-01-31T00:00:00.000Z"],
    ["2031-01-31T18:30:00Z", "2031-01-31T18:30:00.000Z"],
    ["2031-01-31T18:30:00+02:00", "2031-01-31T16:30:00.000Z"],
  ])("%s → %s", (input, iso) => {
    expect(parseExpires(input, now).toISOString()).toBe(iso);
  });

  it.each(["tomorrow", "30", "30x", "0d", "2031-02-30", "2031-13-01", "31/01/2031", "", "1e3d"])(
    "rejects %j",
    (input) => {
      expect(() => parseExpires(input, now)).toThrow(UsageError);
      expect(() => parseExpires(input, now)).toThrow(/^--expires: /);
    },
  );
});

describe("--metadata", () => {
  it("splits at the first =, keeps values verbatim", () => {
    expect(parseMetadata(["team=ml", "query=a=b", "empty="])).toEqual({
      team: "ml",
      query: "a=b",
      empty: "",
    });
  });

  it("keeps __proto__ as plain data", () => {
    const m = parseMetadata(["__proto__=x"]);
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
    expect(Object.keys(m)).toEqual(["__proto__"]);
  });

  it.each([["team"], ["=v"], [" =v"], ["a=1", "a=2"]])("rejects %j", (...pairs) => {
    expect(() => parseMetadata(pairs)).toThrow(UsageError);
  });
});

describe("--models", () => {
  it("splits on commas and trims", () => {
    expect(parseModels("gpt-4o-mini, claude-haiku")).toEqual(["gpt-4o-mini", "claude-haiku"]);
  });
});
