import { describe, expect, it } from "vitest";
import { formatMicros, formatMs, prettyBody, statusTone } from "./log-format";

describe("log display formats", () => {
  it("shows money from micro-dollars without floats", () => {
    expect(formatMicros(210n)).toBe("$0.00021");
    expect(formatMicros(1n)).toBe("$0.000001");
    expect(formatMicros(5_000n)).toBe("$0.005");
    expect(formatMicros(10_000n)).toBe("$0.01");
    expect(formatMicros(1_234_567n)).toBe("$1.2346");
    expect(formatMicros(1_234_549n)).toBe("$1.2345");
    expect(formatMicros(12_345_678_900_000n)).toBe("$12,345,678.90");
    expect(formatMicros(0n)).toBe("$0.00");
  });

  it("shows durations and statuses", () => {
    expect(formatMs(12)).toBe("12 ms");
    expect(formatMs(1520)).toBe("1.52 s");
    expect(formatMs(null)).toBe("—");
    expect(statusTone(200)).toBe("success");
    expect(statusTone(429)).toBe("warning");
    expect(statusTone(502)).toBe("danger");
  });

  it("pretty-prints JSON bodies and leaves the rest alone", () => {
    expect(prettyBody('{"a":1}')).toEqual({ text: '{\n  "a": 1\n}', json: true });
    expect(prettyBody('{"a":1')).toEqual({ text: '{"a":1', json: false });
    expect(prettyBody("data: {}\n\n")).toEqual({ text: "data: {}\n\n", json: false });
  });
});
