import { describe, expect, it } from "vitest";
import { safeReturnPath } from "./return-path";

describe("safeReturnPath", () => {
  it("keeps same-origin paths", () => {
    expect(safeReturnPath("/orgs/acme/keys?create=1")).toBe("/orgs/acme/keys?create=1");
    expect(safeReturnPath(["/invite/abc", "/other"])).toBe("/invite/abc");
  });

  it("refuses absolute, protocol-relative and backslash URLs (no open redirect)", () => {
    for (const bad of [
      "https://evil.example",
      "//evil.example",
      "/\\evil.example",
      "orgs",
      "",
      undefined,
      null,
    ]) {
      expect(safeReturnPath(bad)).toBeNull();
    }
  });
});
