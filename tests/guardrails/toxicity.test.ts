import { describe, expect, it } from "vitest";
import { toxicityDetector } from "~/gateway/guardrails/detectors";

const found = (text: string) =>
  toxicityDetector
    .detect(text)
    .filter((f) => f.confidence >= 0.5)
    .map((f) => text.slice(f.start, f.end));

describe("toxicity.profanity", () => {
  it("matches whole words only, whatever the case (no Scunthorpe problem)", () => {
    expect(found("The class assistant from Scunthorpe ordered a cocktail, shiitake and cumin in Essex.")).toEqual([]);
    expect(found("What the FUCK, this Shit is broken")).toEqual(["FUCK", "Shit"]);
  });

  it("sees through leetspeak, masks and stretched letters", () => {
    expect(found("sh1t, $hit, b!tch, @ss, f*ck, f**k, a**hole, fuuuuck, #shit")).toEqual([
      "sh1t",
      "$hit",
      "b!tch",
      "@ss",
      "f*ck",
      "f**k",
      "a**hole",
      "fuuuuck",
      "#shit",
    ]);
  });

  it("does not read numbers, prices or masked non-words as profanity", () => {
    expect(found("Total $100, code 5h17, rating 4/5, ***, and f****** is too masked to tell")).toEqual([]);
    expect(found("a f***ing disgrace")).toEqual(["f***ing"]);
  });

  it("scores severity and lowers confidence for ambiguous words and names", () => {
    const [severe] = toxicityDetector.detect("fuck");
    const [mild] = toxicityDetector.detect("damn");
    expect(severe!.score).toBe(1);
    expect(mild!.score).toBeCloseTo(1 / 3, 2);
    expect(severe!.confidence).toBeGreaterThan(mild!.confidence);
    expect(found("Have you read Moby Dick? And Philip K. Dick?")).toEqual([]);
    expect(found("He is such a dick.")).toEqual(["dick"]);
    expect(found("a hell-bent rider")).toEqual([]);
  });

  it("reports threats as phrases", () => {
    const text = "kys. I will kill you tomorrow.";
    expect(toxicityDetector.detect(text).map((f) => [f.label, text.slice(f.start, f.end)])).toEqual([
      ["THREAT", "kys"],
      ["THREAT", "I will kill you"],
    ]);
    expect(found("Use kill -9 to stop the process.")).toEqual([]);
  });
});
