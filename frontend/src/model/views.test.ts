import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { emptyAnalysis, mergedGroups, tagged, withTagHidden } from "./analysis";
import { categoryColour, colourScale, GRADIENT_ENDS } from "./colours";
import { buildEntries, fraction } from "./entries";
import { DEFAULT_FILTERS, visibleEntries } from "./filters";
import { germlineTrack } from "./germline-track";
import { smallerClonotypes, smallerFraction } from "./smaller";
import { resultOf } from "./testing";
import { aminoAcidTrack, isOutOfFrame, isSilent } from "./translation";
import { coverageOf, parseVidjil } from "./vidjil";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../tests/data/vidjil/${name}`, import.meta.url), "utf8");
const twoSamples = parseVidjil(fixture("two-samples-mrd.vidjil"));
const context = (sample = 0) => ({ result: twoSamples, sample, tagNames: new Map<number, string>() });

function total(
  shown: ReturnType<typeof buildEntries>,
  sample: number,
  hiddenLoci = new Set<string>(),
): number {
  const clones = shown.reduce((sum, entry) => sum + fraction(entry, twoSamples, sample), 0);
  const smaller = smallerClonotypes(twoSamples, shown, hiddenLoci).reduce(
    (sum, row) => sum + smallerFraction(row, twoSamples, sample),
    0,
  );
  return clones + smaller;
}

describe("smaller clonotypes", () => {
  const entries = buildEntries(twoSamples, emptyAnalysis());

  it.each([0, 2, 5, 50])("keep the shares at 100%% in every sample with the top %i", (topN) => {
    const shown = visibleEntries(entries, { ...DEFAULT_FILTERS, topN });
    for (const sample of [0, 1]) expect(total(shown, sample)).toBeCloseTo(1, 10);
  });

  it("hold, per locus, the locus's reads that no shown clone holds", () => {
    const shown = visibleEntries(entries, { ...DEFAULT_FILTERS, topN: 1 });
    const rows = smallerClonotypes(twoSamples, shown, new Set());
    const igh = rows.find((row) => row.locus === "IGH")!;
    // IGH: 30,000 reads at diagnosis, the dominant clone (top 1) holds 10,000 of them.
    expect(igh.reads[0]).toBe(20000);
    expect(rows.map((row) => row.locus)).toEqual(["IGH", "TRG", "IGK", "TRB"]);
  });

  it("count a merge's members in their own loci, and leave hidden loci out", () => {
    const merged = buildEntries(twoSamples, mergedGroups(emptyAnalysis(), [["igh-dominant", "trg-1"]]));
    const shown = visibleEntries(merged, DEFAULT_FILTERS);
    const trg = smallerClonotypes(twoSamples, shown, new Set()).find((row) => row.locus === "TRG")!;
    expect(trg.reads[0]).toBe(12000 - 2600 - 700 - 40);
    const noTrg = smallerClonotypes(twoSamples, shown, new Set(["TRG"]));
    expect(noTrg.some((row) => row.locus === "TRG")).toBe(false);
  });

  it("take the reads of clones hidden by a tag", () => {
    const analysis = withTagHidden(tagged(emptyAnalysis(), ["igh-dominant"], 7), 7, true);
    const shown = visibleEntries(buildEntries(twoSamples, analysis), DEFAULT_FILTERS, analysis.hiddenTags);
    expect(shown.some((entry) => entry.id === "igh-dominant")).toBe(false);
    expect(total(shown, 0)).toBeCloseTo(1, 10);
  });
});

describe("tag filters", () => {
  const analysis = tagged(tagged(emptyAnalysis(), ["igh-dominant", "trg-1"], 9), ["igk-1"], 6);
  const entries = buildEntries(twoSamples, analysis);
  const ids = (filters = DEFAULT_FILTERS, hidden = new Set<number>()) =>
    visibleEntries(entries, filters, hidden).map((entry) => entry.id);

  it("hide the clones of a hidden tag and show the rest", () => {
    const shown = ids(DEFAULT_FILTERS, new Set([9]));
    expect(shown).not.toContain("igh-dominant");
    expect(shown).not.toContain("trg-1");
    expect(shown).toContain("igk-1");
    expect(shown).toContain("igh-2");
  });

  it("show only one tag's clones when the untagged are hidden too", () => {
    const hideOthers = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12]);
    expect(ids({ ...DEFAULT_FILTERS, hideUntagged: true }, hideOthers).sort()).toEqual([
      "igh-dominant",
      "trg-1",
    ]);
  });

  it("show a tagged clone whatever its rank", () => {
    const small = tagged(emptyAnalysis(), ["unknown-1"], 6);
    const shown = visibleEntries(buildEntries(twoSamples, small), { ...DEFAULT_FILTERS, topN: 2 });
    expect(shown.map((entry) => entry.id)).toContain("unknown-1");
  });
});

describe("colour scales", () => {
  const entries = buildEntries(twoSamples, tagged(emptyAnalysis(), ["trg-2"], 0));

  it("colour by V gene: one colour per gene, alleles together, a legend counting the clones", () => {
    const scale = colourScale("v", entries, entries, context());
    const colourOf = (id: string) => scale.colour(entries.find((entry) => entry.id === id)!);
    expect(colourOf("igh-dominant")).toBe(colourOf("igh-4")); // both IGHV3-23*01
    expect(colourOf("igh-dominant")).not.toBe(colourOf("igh-2"));
    expect(scale.legend.find((item) => item.label === "IGHV3-23")?.count).toBe(2);
    expect(scale.legend.find((item) => item.label === "?")?.colour).toBe("#9e9e9e");
  });

  it("keep a gene's colour when filters hide other genes", () => {
    const fewer = entries.filter((entry) => entry.clone.locus === "TRG");
    const all = colourScale("v", entries, entries, context());
    const filtered = colourScale("v", entries, fewer, context());
    const trg = entries.find((entry) => entry.id === "trg-1")!;
    expect(filtered.colour(trg)).toBe(all.colour(trg));
    expect(filtered.legend.map((item) => item.label)).toEqual(["TRGV9", "TRGV8"]);
  });

  it("colour by tag keeps tag colours and gives the untagged their rank colours", () => {
    const scale = colourScale("tag", entries, entries, { ...context(), tagNames: new Map([[0, "ALL"]]) });
    expect(scale.colour(entries.find((entry) => entry.id === "trg-2")!)).toBe("#c62828");
    expect(scale.legend[0]).toMatchObject({ label: "ALL", count: 1 });
  });

  it("colour numbers from blue to red: CDR3 length and abundance in this sample", () => {
    const byLength = colourScale("cdr3-length", entries, entries, context());
    expect(byLength.kind).toBe("gradient");
    const shortest = entries.find((entry) => entry.id === "igk-1")!; // QQYNSSWT, 24 nt
    expect(byLength.colour(shortest)).toBe("rgb(0, 170, 255)"); // GRADIENT_ENDS[0]
    expect(GRADIENT_ENDS[0]).toBe("#00aaff");
    const abundance = colourScale("abundance", entries, entries, context(1));
    expect(abundance.colour(entries.find((entry) => entry.id === "igh-3-unprod")!)).toBe("#9e9e9e");
    expect(abundance.legend.map((item) => item.label)).toEqual(["0.015%", "3.9%"]); // 12 and 3,100 of 80,000 reads;
  });

  it("colour by productivity, locus and main sample with fixed or distinct colours", () => {
    const productivity = colourScale("productivity", entries, entries, context());
    const colours = new Set(entries.map(productivity.colour));
    expect(colours).toEqual(new Set(["#2aa198", "#d33682", "#9e9e9e"]));
    const sample = colourScale("main-sample", entries, entries, context());
    const mrd = entries.find((entry) => entry.id === "igh-5")!; // absent at diagnosis
    expect(sample.colour(mrd)).toBe(categoryColour(1));
    expect(colourScale("locus", entries, entries, context()).legend.map((item) => item.label)).toEqual([
      "IGH",
      "TRG",
      "IGK",
      "TRB",
    ]);
  });
});

describe("sequence marks", () => {
  const outOfFrame = twoSamples.clones.find((clone) => clone.id === "trg-3")!;
  const stop = twoSamples.clones.find((clone) => clone.id === "igh-3-unprod")!;
  const dominant = twoSamples.clones.find((clone) => clone.id === "igh-dominant")!;

  it("reads V and J in their own frames and marks the frameshift between them", () => {
    expect(isOutOfFrame(outOfFrame)).toBe(true);
    expect(isOutOfFrame(dominant)).toBe(false);
    const track = aminoAcidTrack(outOfFrame);
    expect(track.filter((cell) => cell === "#").length).toBeGreaterThan(0);
    expect(track.join("").replaceAll(" ", "")).toMatch(/#+.*F/);
    expect(aminoAcidTrack(dominant)).not.toContain("#");
  });

  it("shows the stop codons of a non-productive clone", () => {
    expect(aminoAcidTrack(stop).filter((cell) => cell === "*").length).toBe(2);
  });

  it("tells a silent mutation (same amino acid) from one that changes it", () => {
    const reference = resultOf([{ id: "a", reads: [1], v: "IGHV1-2*01", cdr3: "GCGAGAGATTAT" }], { IGH: [1] })
      .clones[0]!;
    const mutate = (position: number, base: string) => ({
      ...reference,
      sequence: reference.sequence.slice(0, position) + base + reference.sequence.slice(position + 1),
    });
    const cdr3 = reference.cdr3!.start; // GCG (Ala) AGA (Arg) ...
    expect(isSilent(reference, cdr3 + 2, mutate(cdr3 + 2, "A"), cdr3 + 2)).toBe(true); // GCA: Ala
    expect(isSilent(reference, cdr3, mutate(cdr3, "A"), cdr3)).toBe(false); // ACG: Thr
  });
});

describe("germline genes and designation details", () => {
  it("lays a germline V and J under the clone by the designation, deletions in lower case", () => {
    const clone = { start: 0, end: 6, name: "V", deletedLeft: 0, deletedRight: 2 };
    const v = germlineTrack("ACGTTAGGGCCC", clone, "v", "TTACGATACC");
    // Germline TT ACGATA|CC: the clone's ACGTTA faces ACGATA (one mutation), CC was deleted.
    expect(v.map((cell) => cell?.text ?? " ").join("")).toBe("...A..cc    ");
    const j = germlineTrack(
      "ACGTTAGGGCCC",
      { start: 8, end: 12, name: "J", deletedLeft: 1, deletedRight: 0 },
      "j",
      "TGCCCAA",
    );
    expect(j.map((cell) => cell?.text ?? " ").join("")).toBe("       t....");
  });

  it("reads the equal genes of W69 and the coverage from the reads' length", () => {
    const igh2 = twoSamples.clones.find((clone) => clone.id === "igh-2")!;
    expect(igh2.equalGenes).toEqual(["IGHV1-69D*01"]);
    expect(coverageOf(igh2, 0)).toBe(0.95); // 148 nt over reads of 156 nt
    const withLengths = { ...igh2, averageReadLength: [0, igh2.sequence.length * 2] };
    expect(coverageOf(withLengths, 0)).toBe(0.5);
    expect(coverageOf({ ...igh2, coverage: 0.93 }, 0)).toBe(0.93);
    expect(coverageOf({ ...igh2, averageReadLength: [0, 0] }, 0)).toBeNull();
  });
});
