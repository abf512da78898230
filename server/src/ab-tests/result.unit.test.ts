import { describe, expect, it } from "vitest";
import { abResult, pText } from "./result.js";
import { inAdapterTerms } from "./inputs.js";

const sides = { a: "adapter A (jazz 2)", b: "adapter B (jazz 1)", final: false };
const choices = (a: number, b: number, ties = 0) => [...Array(a).fill("A"), ...Array(b).fill("B"), ...Array(ties).fill("TIE")];

describe("the A/B verdict", () => {
  it("says so when there is nothing to decide on", () => {
    expect(abResult([], sides)).toMatchObject({ judged: 0, winRate: null, interval: null, pValue: null, significant: false, verdict: "No trial judged yet." });
    expect(abResult([], { ...sides, final: true }).verdict).toBe("No trial was judged, so there is no verdict.");
    expect(abResult(choices(0, 0, 3), sides).verdict).toBe("All 3 judged trials were ties: neither side is preferred so far.");
    expect(abResult(choices(0, 0, 1), { ...sides, final: true }).verdict).toBe("The one judged trial was a tie: neither side is preferred.");
  });

  it("names no preferred side unless p < 0.05: 8 of 10 (p = 0.11) is no significant difference yet", () => {
    const result = abResult(choices(8, 2), sides);
    expect(result).toMatchObject({ wins: 8, losses: 2, decisive: 10, winRate: 0.8, significant: false });
    expect(result.pValue).toBeCloseTo(0.109375, 12);
    expect(result.verdict).toBe("No significant difference yet (A won 8 of 10 decisive trials; 95% CI of A's win rate 49–94%), p = 0.11.");
    expect(abResult(choices(2, 8, 1), { ...sides, final: true }).verdict).toBe("No significant difference (A won 2 of 10 decisive trials; 95% CI of A's win rate 6–51%; 1 tie left out), p = 0.11.");
  });

  it("names B when B wins, with B's share and interval, ties left out", () => {
    const result = abResult(choices(1, 11, 2), { ...sides, final: true });
    expect(result).toMatchObject({ wins: 1, losses: 11, ties: 2, decisive: 12, significant: true });
    expect(result.verdict).toBe("Adapter B (jazz 1) is preferred over adapter A (jazz 2): 11 of 12 decisive trials (92%, 95% CI 65–99%; 2 ties left out), p = 0.0063 — significant at the 5% level.");
  });

  it("calls an even split no significant difference", () => {
    expect(abResult(choices(5, 5), sides).verdict).toBe("No significant difference yet (A won 5 of 10 decisive trials; 95% CI of A's win rate 24–76%), p = 1.");
  });

  it("quotes p-values with two significant digits", () => {
    expect([pText(1), pText(0.109375), pText(0.0312), pText(0.0004)]).toEqual(["p = 1", "p = 0.11", "p = 0.031", "p < 0.001"]);
  });

  it("translates the displayed choice into the adapters' terms", () => {
    expect([inAdapterTerms("A", true), inAdapterTerms("B", true), inAdapterTerms("A", false), inAdapterTerms("B", false), inAdapterTerms("TIE", false)]).toEqual(["A", "B", "B", "A", "TIE"]);
  });
});
