import { describe, expect, it } from "vitest";
import { dollarsToMicros, parseDecimal, roundHalfUp } from "~/server/pricing/exact-decimal";
import { microsToDollarText } from "~/features/pricing/server/model-price-view";

describe("exact decimals", () => {
  it("reads a float price by its shortest decimal form, not its binary value", () => {
    expect(parseDecimal(0.15)).toEqual({ num: 15n, den: 100n });
    expect(parseDecimal(0.1 + 0.2)).toEqual({ num: 30000000000000004n, den: 10n ** 17n });
    expect(parseDecimal(36e-4)).toEqual({ num: 36n, den: 10000n });
    expect(parseDecimal(1e-7)).toEqual({ num: 1n, den: 10n ** 7n });
    expect(parseDecimal(15)).toEqual({ num: 15n, den: 1n });
    expect(parseDecimal("2.5e3")).toEqual({ num: 2500n, den: 1n });
    expect(() => parseDecimal(-1)).toThrow();
    expect(() => parseDecimal(Number.NaN)).toThrow();
  });

  it("rounds half up, once", () => {
    expect(roundHalfUp({ num: 45n, den: 10n })).toBe(5n);
    expect(roundHalfUp({ num: 44n, den: 10n })).toBe(4n);
    expect(roundHalfUp({ num: 25n, den: 10n })).toBe(3n); // half-even would give 2
    expect(roundHalfUp({ num: 0n, den: 7n })).toBe(0n);
  });

  it("converts typed dollars to micro-dollars and back exactly", () => {
    expect(dollarsToMicros("0.15")).toBe(150_000n);
    expect(dollarsToMicros("12")).toBe(12_000_000n);
    expect(dollarsToMicros("0.000001")).toBe(1n);
    expect(() => dollarsToMicros("0.0000001")).toThrow();
    expect(() => dollarsToMicros("-1")).toThrow();
    expect(() => dollarsToMicros("1e3")).toThrow();
    expect(microsToDollarText(150_000n)).toBe("0.15");
    expect(microsToDollarText(12_000_000n)).toBe("12");
    expect(microsToDollarText(1n)).toBe("0.000001");
    expect(microsToDollarText(0n)).toBe("0");
  });
});
