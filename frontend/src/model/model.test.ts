import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { project, translate } from "./align";
import { emptyAnalysis, merged, renamed, split, tagged } from "./analysis";
import { analysisDocument, parseAnalysis } from "./analysis-file";
import { colourScale } from "./colours";
import { buildEntries, fraction, productivityLabel } from "./entries";
import { DEFAULT_FILTERS, matchesSearch, reverseComplement, visibleEntries } from "./filters";
import { formatPercent } from "./format";
import { medianOverlap, pairMerging, unsegmentedReasons } from "./read-stats";
import { parseVidjil, VidjilFormatError } from "./vidjil";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../tests/data/vidjil/${name}`, import.meta.url), "utf8");
const twoSamples = parseVidjil(fixture("two-samples-mrd.vidjil"));

describe("parseVidjil", () => {
  it("reads samples, loci and clones with 0-based half-open positions", () => {
    expect(twoSamples.samples.map((sample) => sample.name)).toEqual(["Diagnosis", "Day 35 MRD"]);
    expect(twoSamples.lociReads.get("IGH")).toEqual([30000, 42000]);
    const dominant = twoSamples.clones[0]!;
    expect(dominant.v).toMatchObject({ name: "IGHV3-23*01", start: 0, end: 66, deletedRight: 2 });
    expect(dominant.cdr3).toMatchObject({ start: 60, end: 105, aa: "AKPGYYGSGSYSFDY" });
    // The file's 1-based junction translates to its amino acids once made 0-based.
    const junction = dominant.junction!;
    expect(translate(dominant.sequence.slice(junction.start, junction.end), 0)).toBe(junction.aa);
  });

  it.each([
    ["{", /not a JSON file/],
    ["sequence_id\tsequence\tv_call\nr1\tACGT\tIGHV1-2*01\n", /a table \(AIRR or MiXCR\).*import config/],
    ["{}", /vidjil_json_version is missing/],
    ['{"vidjil_json_version": "2013.01"}', /older than 2014.09/],
    ['{"vidjil_json_version": "2016b", "reads": {"segmented": [1]}}', /samples must be an object/],
    [
      '{"vidjil_json_version": "2016b", "samples": {"number": 1, "original_names": ["a"]}, "reads": {"segmented": [1]}, "clones": [{"id": "x", "sequence": {"a": 1}, "germline": "IGH", "reads": [1]}]}',
      /clone x: its sequence is not text/,
    ],
  ])("refuses %s with a reason", (text, reason) => {
    expect(() => parseVidjil(text)).toThrow(VidjilFormatError);
    expect(() => parseVidjil(text)).toThrow(reason);
  });

  it.each([
    "analysis-example.vidjil",
    "w81_sample_1.vidjil",
    "input-spike-norm.vidjil",
    "output-spike-norm.vidjil",
  ])("opens Vidjil's own %s as its client does", (name) => {
    const result = parseVidjil(fixture(name));
    expect(result.clones.length).toBeGreaterThan(0);
    for (const clone of result.clones) expect(clone.reads).toHaveLength(result.samples.length);
  });

  it("gives a clone without a sequence its window, and a missing count 0 reads", () => {
    const window = "TGTGCCACCTGGGATGGGCTTGGGTAGTGATTGGATCAAG";
    const clones = parseVidjil(fixture("output-spike-norm.vidjil")).clones;
    expect(clones.find((clone) => clone.id === window)?.sequence).toBe(window);
    // the file's tenth clone has the same window: it is told apart
    expect(clones[9]?.id).toBe(`${window} (2)`);
    expect(clones[9]?.name).toBe("TRGV4*01 -0/5/-3 TRGJP2*01");
    expect(new Set(clones.map((clone) => clone.id)).size).toBe(clones.length);
    const example = parseVidjil(fixture("analysis-example.vidjil"));
    expect(example.samples).toHaveLength(2);
    // IUPAC codes in the window (Y): still a window, kept as the sequence
    expect(example.clones[0]?.sequence).toBe("YCCYTGTGCYGYGYCCCYYTGCTYGYGTYT");
    expect(example.clones[0]?.reads).toEqual([311, 0]);
    const named = parseVidjil(fixture("w81_sample_1.vidjil")).clones[0];
    // an id that is no sequence ("clone_1"): no sequence rather than a made-up one
    expect(named?.sequence).toBe("");
    expect(named?.name).toBe("clone_name_1");
  });
});

describe("entries and filters", () => {
  const entries = buildEntries(twoSamples, emptyAnalysis());

  it("ranks by the best rank over samples and computes shares of segmented reads", () => {
    const dominant = entries.find((entry) => entry.id === "igh-dominant")!;
    expect(dominant.rank).toBe(1);
    expect(fraction(dominant, twoSamples, 0)).toBeCloseTo(0.2);
    expect(fraction(dominant, twoSamples, 1)).toBeCloseTo(0.001);
    const appearing = entries.find((entry) => entry.id === "igh-5")!;
    expect(fraction(appearing, twoSamples, 0)).toBe(0);
  });

  it("searches names, CDR3 and either DNA strand", () => {
    const dominant = entries.find((entry) => entry.id === "igh-dominant")!;
    expect(matchesSearch(dominant, "akpgyy")).toBe(true);
    const stretch = dominant.clone.sequence.slice(70, 90);
    expect(matchesSearch(dominant, stretch)).toBe(true);
    expect(matchesSearch(dominant, reverseComplement(stretch))).toBe(true);
    expect(matchesSearch(dominant, "TRGV")).toBe(false);
  });

  it("filters by locus, productivity and top N", () => {
    const noIgh = visibleEntries(entries, { ...DEFAULT_FILTERS, hiddenLoci: new Set(["IGH"]) });
    expect(noIgh.every((entry) => entry.clone.locus !== "IGH")).toBe(true);
    const productive = visibleEntries(entries, { ...DEFAULT_FILTERS, productiveOnly: true });
    expect(productive.map((entry) => entry.id)).not.toContain("igh-3-unprod");
    expect(visibleEntries(entries, { ...DEFAULT_FILTERS, topN: 2 }).length).toBeLessThanOrEqual(4);
  });

  it("labels unproductive clones with their cause", () => {
    const clone = twoSamples.clones.find((item) => item.id === "trg-3")!;
    expect(productivityLabel(clone)).toBe("unproductive (out of frame)");
  });
});

describe("analysis layer", () => {
  it("merges, renames, tags, saves and reloads", () => {
    let analysis = merged(emptyAnalysis(), ["igh-dominant", "igh-4"]);
    analysis = renamed(analysis, "igh-dominant", "Leukaemic clone");
    analysis = tagged(analysis, ["igh-dominant"], 0);
    const entries = buildEntries(twoSamples, analysis);
    const dominant = entries.find((entry) => entry.id === "igh-dominant")!;
    expect(dominant.reads).toEqual([10150, 290]);
    expect(dominant.name).toBe("Leukaemic clone");
    expect(entries.some((entry) => entry.id === "igh-4")).toBe(false);

    const reloaded = parseAnalysis(JSON.stringify(analysisDocument(analysis, twoSamples)), twoSamples);
    expect(reloaded.clusters).toEqual([["igh-dominant", "igh-4"]]);
    expect(reloaded.names.get("igh-dominant")).toBe("Leukaemic clone");
    expect(reloaded.tags.get("igh-dominant")).toBe(0);
    expect(split(reloaded, ["igh-4"]).clusters).toEqual([]);
  });
});

describe("alignment", () => {
  it("projects a mutated sequence onto the reference", () => {
    const projection = project("ACGTACGTAC", "ACGTTCGTAC");
    expect(projection.positions).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const deletion = project("ACGTACGTACGGA", "ACGTAGTACGGA");
    expect(deletion.positions.filter((position) => position === null)).toHaveLength(1);
    const insertion = project("ACGTACGTACGGA", "ACGTACCGTACGGA");
    expect(insertion.insertionsAfter.size).toBe(1);
  });
});

describe("read statistics and formatting", () => {
  it("reads unsegmented causes from the log", () => {
    const reasons = unsegmentedReasons(twoSamples.samples[0]!.log);
    expect(reasons[0]).toEqual({ label: "too short", reads: 310 });
    expect(reasons.reduce((sum, reason) => sum + reason.reads, 0)).toBe(2000);
    expect(unsegmentedReasons("UNSEG only V/5' : 12\n")).toEqual([{ label: "only V/5'", reads: 12 }]);
  });

  it("formats MRD levels with two significant digits", () => {
    expect(formatPercent(0.2)).toBe("20.0%");
    expect(formatPercent(0.001)).toBe("0.10%");
    expect(formatPercent(0.0000123)).toBe("0.0012%");
    expect(formatPercent(0)).toBe("–");
  });
});

describe("colours", () => {
  it("gives different colours to clones that are first in different samples", () => {
    const entries = buildEntries(twoSamples, emptyAnalysis());
    const scale = colourScale("rank", entries, entries, {
      result: twoSamples,
      sample: 0,
      tagNames: new Map(),
    });
    const colour = (id: string) => scale.colour(entries.find((entry) => entry.id === id)!);
    expect(colour("igh-dominant")).not.toBe(colour("trg-1"));
    expect(new Set(entries.map(scale.colour)).size).toBe(entries.length);
  });
});

describe("pair merging", () => {
  it("reads samples._merging of paired-end samples, null for the others", () => {
    const document = JSON.parse(fixture("two-samples-mrd.vidjil"));
    document.samples._merging = [
      null,
      {
        pairs: 1000,
        merged: 940,
        unmerged: { no_overlap: 55, ambiguous: 5 },
        unmerged_analysed: "r1",
        unmerged_reads: 60,
        staggered: 3,
        mismatches: 120,
        overlap_lengths: { "50": 900, "12": 30, "70": 10 },
      },
    ];
    const samples = parseVidjil(JSON.stringify(document)).samples;
    expect(samples[0]!.merging).toBeNull();
    const merging = samples[1]!.merging!;
    expect(merging).toMatchObject({ pairs: 1000, merged: 940, unmergedAnalysed: "r1", staggered: 3 });
    expect(merging.unmerged).toEqual([
      { label: "no overlap", reads: 55 },
      { label: "ambiguous", reads: 5 },
    ]);
    expect(merging.overlaps).toEqual([
      [12, 30],
      [50, 900],
      [70, 10],
    ]);
    expect(medianOverlap(merging.overlaps)).toBe(50);
    expect(twoSamples.samples[0]!.merging).toBeNull(); // files without the field
  });

  it("ignores a damaged entry", () => {
    expect(pairMerging("oops")).toBeNull();
    expect(pairMerging({ pairs: -3, overlap_lengths: { x: 1 } })).toMatchObject({ pairs: 0, overlaps: [] });
  });
});
