import { readFileSync } from "node:fs";
import { scaleLinear } from "d3-scale";
import { describe, expect, it } from "vitest";
import {
  CLL_WORDING,
  detectionText,
  formatNormalized,
  identityWithStatus,
  limitReadsText,
  mutationStatus,
} from "./clinical";
import { emptyAnalysis } from "./analysis";
import { axisById, type NumberAxis, numberDomain } from "./axes";
import { buildEntries } from "./entries";
import { parseVidjil } from "./vidjil";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../tests/data/vidjil/${name}`, import.meta.url), "utf8");

describe("clinical measures", () => {
  it("reads Vidjil's own normalised file: one-sample diversity as numbers, normalized_reads", () => {
    // as Vidjil wrote it: one clone has the number 0 as its sequence
    const result = parseVidjil(fixture("output-spike-norm.vidjil"));
    const diversity = result.measures?.[0]?.diversity;
    expect(diversity?.shannon).toBeCloseTo(4.070873313285119, 12);
    expect(diversity?.simpson).toBeCloseTo(0.9398931264877319, 12);
    expect(diversity?.pielou).toBeNull();
    expect(result.clones[0]?.measures?.normalized).toEqual([1.38928076264598e-5]);
    expect(result.clones[0]?.measures?.detection).toEqual([null]);
  });

  it("reads our per-sample lists: detection, window counts, limits, V identity", () => {
    const document = JSON.parse(fixture("two-samples-mrd.vidjil")) as Record<string, any>;
    document.samples._limit_of_detection = [null, { reads: 3, fraction: 7e-5, basis: "3 reads" }];
    document.diversity = { index_H_entropy: [1.5, null], _per_locus: { IGH: { _clones: [3, 4] } } };
    const clone = document.clones[0];
    clone._detection = ["detected", "below_lod"];
    clone._below_threshold = [false, true];
    clone.seg.v_identity = { val: 96.5, info: "IGHV3-23*01" };
    const result = parseVidjil(JSON.stringify(document));
    expect(result.measures?.[1]?.limitOfDetection).toEqual({ reads: 3, fraction: 7e-5, basis: "3 reads" });
    expect(result.measures?.[0]?.limitOfDetection).toBeNull();
    expect(result.measures?.[0]?.diversity?.shannon).toBe(1.5);
    expect(result.measures?.[1]?.diversity).toBeNull();
    expect(result.measures?.[1]?.diversityPerLocus.get("IGH")?.clones).toBe(4);
    const measures = result.clones[0]?.measures;
    expect(measures?.detection).toEqual(["detected", "below_lod"]);
    expect(measures?.belowThreshold).toEqual([false, true]);
    expect(measures?.vIdentity).toEqual({ percent: 96.5, allele: "IGHV3-23*01" });
  });

  it("words the CLL status for IGH only, at 98%", () => {
    expect(mutationStatus("IGH", { percent: 97.9, allele: "" })).toBe("mutated");
    expect(mutationStatus("IGH", { percent: 98, allele: "" })).toBe("unmutated");
    expect(mutationStatus("TRG", { percent: 90, allele: "" })).toBe("");
    expect(mutationStatus("IGH", null)).toBe("");
  });

  it("says detection with the read count, and normalised values as cells", () => {
    expect(detectionText("below_lod", 2)).toBe("detected below the limit of detection (2 reads)");
  });

  it("says why a limit of detection is so many reads, without '3.0 reads, 3 reads'", () => {
    expect(limitReadsText({ reads: 3, fraction: 7e-5, basis: "3 reads" })).toBe(
      "3 reads, the fewest counted: one cell of the amplified DNA is fewer",
    );
    expect(limitReadsText({ reads: 4.25, fraction: 1e-5, basis: "one cell" })).toBe(
      "4.3 reads, one cell of the amplified DNA",
    );
    expect(limitReadsText({ reads: 5, fraction: 1e-5, basis: "" })).toBe("5 reads");
    expect(detectionText("detected", 1)).toBe("detected (1 read)");
    expect(detectionText("not_detected", 0)).toBe("not detected (0 reads)");
    expect(formatNormalized(2.5e-4)).toBe("0.025% of cells");
    expect(formatNormalized(null)).toBe("");
  });

  it("words V identity for a report: the CLL status for IGH clones only, at the 98% cut-off", () => {
    expect(identityWithStatus("IGH", { percent: 97.94, allele: "IGHV1-69*01" })).toBe("97.9% mutated");
    expect(identityWithStatus("IGH", { percent: 98, allele: "IGHV1-69*01" })).toBe("98.0% unmutated");
    expect(identityWithStatus("IGK", { percent: 95, allele: "IGKV1-5*01" })).toBe("95.0%");
    expect(identityWithStatus("IGH", null)).toBe("");
    expect(CLL_WORDING).toContain("mutated under 98%");
    expect(CLL_WORDING).toContain("unmutated at 98% or more");
  });

  it("plots V identity as a grid axis: the percent, none where the file does not give it", () => {
    const document = JSON.parse(fixture("two-samples-mrd.vidjil")) as Record<string, any>;
    document.clones[0].seg.v_identity = { val: 96.5, info: "IGHV3-23*01" };
    const result = parseVidjil(JSON.stringify(document));
    const [first, second] = buildEntries(result, emptyAnalysis());
    const axis = axisById("v-identity");
    expect(axis.label).toBe("V identity (%)");
    expect(axis.kind).toBe("number");
    if (axis.kind === "category") throw new Error("a number axis");
    expect(axis.value(first!, { result, sample: 0 })).toBe(96.5);
    expect(axis.value(second!, { result, sample: 0 })).toBeNull();
  });

  it("stops a V identity axis at 100%: no 102% tick", () => {
    const identity = axisById("v-identity") as NumberAxis;
    expect(numberDomain(identity, [91.4, 97.5, 99.3, 100])).toEqual([89, 100]);
    expect(numberDomain(identity, [100])).toEqual([98, 100]);
    const ticks = scaleLinear()
      .domain(numberDomain(identity, [96.5, 99.9]))
      .ticks(6);
    expect(Math.max(...ticks)).toBe(100);
    // a measure without a maximum keeps its room on both sides
    expect(numberDomain(axisById("cdr3-length") as NumberAxis, [12, 45])).toEqual([10, 50]);
  });
});
