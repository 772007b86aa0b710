import { describe, expect, it } from "vitest";
import { bubbleRadius } from "./grid";

describe("bubbleRadius", () => {
  it("gives a share the same size in every sample: one scale, not the sample's biggest clone", () => {
    // An MRD follow-up whose biggest clone holds 0.1% must not draw it as large as a 20% clone.
    expect(bubbleRadius(0.001)).toBeLessThan(bubbleRadius(0.2) / 4);
    expect(bubbleRadius(0.2)).toBeCloseTo(2.5 + 33.5 * Math.sqrt(0.2), 5);
  });

  it("grows the area with the share and stays drawable at both ends", () => {
    expect(bubbleRadius(0)).toBe(2.5);
    expect(bubbleRadius(0.05)).toBeGreaterThan(bubbleRadius(0.01));
    expect(bubbleRadius(1)).toBe(36);
    expect(bubbleRadius(1.2)).toBe(36); // a share above 1 (odd imported counts) is clamped
  });
});
