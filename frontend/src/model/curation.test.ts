import { describe, expect, it } from "vitest";
import {
  emptyAnalysis,
  mergedGroups,
  renamedTag,
  tagged,
  withoutMembers,
  withSampleOrder,
  withTagHidden,
} from "./analysis";
import { analysisDocument, parseAnalysis } from "./analysis-file";
import { clusterGroups, withinMismatches } from "./clustering";
import { buildEntries } from "./entries";
import { History } from "./history";
import { resultOf } from "./testing";

// Four IGH clones: two share a CDR3 (a V-gene variant), one differs from them by one nucleotide
// in 45 (similar), one is unrelated; and a TRG clone with the same CDR3 as nobody.
const SHARED = "GCGAGAGATGGCTATTGGGGCTATGATTATTGGGGCGATTATTAT"; // 45 nt
const ONE_OFF = "GCGAGAGATGGCTATTGGGGCTATGATTATTGGGGCGATTATTGT";
const OTHER = "GCGAGAGATTATTATGGC";
const result = resultOf(
  [
    { id: "main", reads: [5000, 40], v: "IGHV3-23*01", j: "IGHJ4*02", cdr3: SHARED },
    { id: "variant", reads: [300, 2], v: "IGHV3-23D*01", j: "IGHJ4*02", cdr3: SHARED },
    { id: "similar", reads: [120, 0], v: "IGHV3-23*01", j: "IGHJ4*02", cdr3: ONE_OFF },
    { id: "other", reads: [800, 900], v: "IGHV1-69*01", j: "IGHJ6*02", cdr3: OTHER },
    { id: "no-cdr3", reads: [50, 5], v: "IGHV1-69*01" },
    { id: "trg", reads: [700, 700], locus: "TRG", v: "TRGV9*01", j: "TRGJ1*02", cdr3: OTHER },
  ],
  { IGH: [10000, 2000], TRG: [1000, 1000] },
);
const entries = buildEntries(result, emptyAnalysis());

describe("automatic clustering", () => {
  it("groups by the same CDR3, largest first, leaving clones without CDR3 alone", () => {
    expect(clusterGroups(entries, "cdr3")).toEqual([["main", "variant"]]);
  });

  it("groups by V gene within a locus, never across loci", () => {
    const groups = clusterGroups(entries, "v");
    expect(groups).toContainEqual(["main", "similar"]);
    expect(groups).toContainEqual(["other", "no-cdr3"]);
    expect(groups.flat()).not.toContain("trg");
  });

  it("groups similar CDR3 (95%: 2 differences in 45 nt) of one locus and length", () => {
    expect(clusterGroups(entries, "similar-cdr3")).toEqual([["main", "variant", "similar"]]);
    expect(withinMismatches(SHARED, ONE_OFF, 1)).toBe(true);
    expect(withinMismatches(SHARED, ONE_OFF, 0)).toBe(false);
  });

  it("groups by locus", () => {
    expect(clusterGroups(entries, "locus")).toEqual([["main", "other", "variant", "similar", "no-cdr3"]]);
  });

  it("applies the groups as clusters whose reads add up, and works on existing clusters", () => {
    const clustered = mergedGroups(emptyAnalysis(), clusterGroups(entries, "cdr3"));
    const merged = buildEntries(result, clustered);
    const main = merged.find((entry) => entry.id === "main")!;
    expect(main.reads).toEqual([5300, 42]);
    expect(merged.some((entry) => entry.id === "variant")).toBe(false);
    // Clustering the clusters again by similarity joins the third clone to the existing cluster.
    const again = mergedGroups(clustered, clusterGroups(merged, "similar-cdr3"));
    expect(again.clusters).toEqual([["main", "variant", "similar"]]);
  });

  it("merges many groups in one step: clusters joined by a later group end, the others keep their order", () => {
    const start = {
      ...emptyAnalysis(),
      clusters: [
        ["a", "b"],
        ["c", "d"],
        ["e", "f"],
      ],
    };
    // The first group joins two clusters by any member; the second joins that new cluster again.
    const next = mergedGroups(start, [["d", "a"], ["x", "y"], ["y", "b", "z"], ["lone"]]);
    // d's cluster is represented by c; the third group's first clone, y, by x.
    expect(next.clusters).toEqual([
      ["e", "f"],
      ["x", "y", "c", "d", "a", "b", "z"],
    ]);
    expect(start.clusters).toEqual([
      ["a", "b"],
      ["c", "d"],
      ["e", "f"],
    ]);
    expect(mergedGroups(start, [["lone"], ["a", "b"]]).clusters).toEqual([
      ["c", "d"],
      ["e", "f"],
      ["a", "b"],
    ]);
    expect(mergedGroups(start, [["lone"]])).toBe(start);
  });

  it("merges a thousand groups at once, each clone in one cluster", () => {
    const groups = Array.from({ length: 1000 }, (_, group) => [`g${group}-0`, `g${group}-1`, `g${group}-2`]);
    const merged = mergedGroups(emptyAnalysis(), [...groups, ["g0-2", "g999-0"]]);
    expect(merged.clusters).toHaveLength(999);
    expect(merged.clusters.at(-1)).toEqual(["g0-0", "g0-1", "g0-2", "g999-0", "g999-1", "g999-2"]);
    expect(new Set(merged.clusters.flat()).size).toBe(3000);
  });

  it("takes one member out of its cluster; a cluster of one ends", () => {
    const clustered = mergedGroups(emptyAnalysis(), [["main", "variant", "similar"]]);
    expect(withoutMembers(clustered, ["variant"]).clusters).toEqual([["main", "similar"]]);
    expect(withoutMembers(withoutMembers(clustered, ["variant"]), ["similar"]).clusters).toEqual([]);
    // Taking out the representative makes the next member represent the cluster.
    expect(withoutMembers(clustered, ["main"]).clusters).toEqual([["variant", "similar"]]);
  });
});

describe("undo history", () => {
  it("undoes and redoes in order, and a new change forgets what was undone", () => {
    const history = new History<string>();
    history.record("merge 2 clones", "a", "b");
    history.record("tag a clone", "b", "c");
    expect(history.nextUndo).toBe("tag a clone");
    expect(history.undo()?.before).toBe("b");
    expect(history.undo()?.before).toBe("a");
    expect(history.undo()).toBeNull();
    expect(history.redo()?.after).toBe("b");
    expect(history.nextRedo).toBe("tag a clone");
    history.record("rename", "b", "d");
    expect(history.nextRedo).toBeNull();
    expect(history.nextUndo).toBe("rename");
  });

  it("ignores a change that changes nothing and keeps a bounded number of steps", () => {
    const history = new History<number>(3);
    history.record("nothing", 1, 1);
    expect(history.nextUndo).toBeNull();
    for (let step = 0; step < 5; step++) history.record(`step ${step}`, step, step + 1);
    expect([history.undo()?.label, history.undo()?.label, history.undo()?.label, history.undo()]).toEqual([
      "step 4",
      "step 3",
      "step 2",
      null,
    ]);
  });

  it("keeps analyses as they were: every change makes a new one", () => {
    const before = emptyAnalysis();
    const after = tagged(before, ["main"], 0);
    expect(before.tags.size).toBe(0);
    expect(after.tags.get("main")).toBe(0);
  });
});

describe("the .analysis file", () => {
  it("saves and reloads tag names, hidden tags, clusters and the samples' order", () => {
    let analysis = mergedGroups(emptyAnalysis(), [["main", "variant"]]);
    analysis = renamedTag(analysis, 9, "ALL clone");
    analysis = withTagHidden(analysis, 7, true);
    analysis = withSampleOrder(tagged(analysis, ["other"], 9), [1]);
    const document = analysisDocument(analysis, result);
    expect(document.tags).toEqual({ names: { 9: "ALL clone" }, hide: [7] });
    expect(document.samples).toMatchObject({ order: [1], stock_order: [1, 0] });
    const reloaded = parseAnalysis(JSON.stringify(document), result);
    expect(reloaded.tagNames.get(9)).toBe("ALL clone");
    expect([...reloaded.hiddenTags]).toEqual([7]);
    expect(reloaded.clusters).toEqual([["main", "variant"]]);
    expect(reloaded.sampleOrder).toEqual([1]);
    expect(reloaded.tags.get("other")).toBe(9);
  });

  it("reads Vidjil's own: tags as strings, samples matched by name, unknown tags ignored", () => {
    const vidjil = {
      clones: [
        { id: "main", tag: "3" },
        { id: "other", tag: 42 },
      ],
      tags: { names: { "3": "spike", "99": "nothing" }, hide: [4, "5", 77] },
      samples: { id: ["s1.fastq", "s0.fastq"], order: [0, 1] },
    };
    const analysis = parseAnalysis(JSON.stringify(vidjil), result);
    expect(analysis.tags.get("main")).toBe(3);
    expect(analysis.tags.has("other")).toBe(false);
    expect([...analysis.tagNames]).toEqual([[3, "spike"]]);
    expect([...analysis.hiddenTags]).toEqual([4, 5]);
    // The file's first sample is s1.fastq: here it is the second one.
    expect(analysis.sampleOrder).toEqual([1, 0]);
  });

  it("shows a sample analysed after the save; one the user hid stays hidden", () => {
    // Saved when the set had s0.fastq only: s1.fastq, the newest follow-up, is shown too.
    const before = { samples: { id: ["s0.fastq"], order: [0] } };
    expect(parseAnalysis(JSON.stringify(before), result).sampleOrder).toEqual([0, 1]);
    const hidden = { samples: { id: ["s0.fastq", "s1.fastq"], order: [0] } };
    expect(parseAnalysis(JSON.stringify(hidden), result).sampleOrder).toEqual([0]);
  });

  it("keeps the result's own clusters unless the file has clusters of its own", () => {
    const withClusters = { ...result, clusters: [["main", "variant"]] };
    expect(parseAnalysis("{}", withClusters).clusters).toEqual([["main", "variant"]]);
    expect(parseAnalysis('{"clusters": []}', withClusters).clusters).toEqual([]);
  });
});
