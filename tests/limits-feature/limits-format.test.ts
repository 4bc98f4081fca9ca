import { describe, expect, it } from "vitest";
import {
  consumption,
  durationText,
  limitText,
  numberFromField,
  percentText,
  thresholdsFromField,
  usd,
} from "~/features/limits/components/limits-format";
import { describeLimits, usdText } from "~/features/limits/server/limits-rules";

describe("limits page formatting", () => {
  it("consumption tone: ok below 80 %, amber from 80 %, red from 100 %", () => {
    expect(consumption(0, 5_000_000)).toEqual({ ratio: 0, tone: "ok" });
    expect(consumption(3_999_999, 5_000_000).tone).toBe("ok");
    expect(consumption(4_000_000, 5_000_000).tone).toBe("warning");
    expect(consumption(5_000_000, 5_000_000).tone).toBe("over");
    expect(consumption(12_000_000, 5_000_000)).toEqual({ ratio: 2.4, tone: "over" });
    expect(percentText(0.8399)).toBe("83%");
    expect(percentText(0.004)).toBe("<1%");
    expect(percentText(2.4)).toBe("240%");
  });

  it("form fields: empty is no limit, numbers parse, text stays for the server to refuse", () => {
    expect(numberFromField("")).toBeNull();
    expect(numberFromField("  ")).toBeNull();
    expect(numberFromField("40,000")).toBe(40_000);
    expect(numberFromField("2.5")).toBe(2.5);
    expect(numberFromField("-3")).toBe(-3);
    expect(numberFromField("ten")).toBe("ten");
    expect(thresholdsFromField("50, 80 100")).toEqual([50, 80, 100]);
    expect(thresholdsFromField("50, x")).toEqual([50, "x"]);
  });

  it("numbers, money and durations read well", () => {
    expect(limitText(null)).toBe("—");
    expect(limitText(500)).toBe("500");
    expect(limitText(40_000)).toBe("40K");
    expect(limitText(2_000_000)).toBe("2M");
    expect(usd(4_200_000)).toBe("$4.20");
    expect(usd(125)).toBe("$0.000125");
    expect(usd(0)).toBe("$0.00");
    expect(usdText(12_500_000)).toBe("$12.50");
    expect(usdText(1_234_567_890_123)).toBe("$1,234,567.890123");
    expect(usdText(125)).toBe("$0.000125");
    expect(durationText(3600)).toBe("1h");
    expect(durationText(30 * 86_400)).toBe("30d");
    expect(durationText(90_061)).toBe("1d 1h");
    expect(describeLimits({ rpm: 20, tpm: 40_000, rpd: null, concurrent: 2 })).toBe(
      "rpm 20 · tpm 40,000 · rpd — · concurrent 2",
    );
  });
});
