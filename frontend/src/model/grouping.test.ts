/**
 * The fast paths of clustering 10,000 clones give what the plain definitions give: keys kept per
 * clone, groups made only for shared keys, groups as arrays, colours ordered without sorting.
 */
import { describe, expect, it } from "vitest";
import { emptyAnalysis, mergedGroups } from "./analysis";
import { clusterGroups, prepareKeys } from "./clustering";
import { colourScale } from "./colours";
import { buildEntries, type Entry, groupClones } from "./entries";
import { resultOf } from "./testing";

const A = "GCGAGAGATGGCTATTGG"; // CDR3 nucleotides: A and B differ
const B = "GCGAGAGATTATTATGGC";
const result = resultOf(
  [
    { id: "b-small", reads: [10, 0], v: "IGHV1-69*01", cdr3: B },
    { id: "a-small", reads: [20, 5], v: "IGHV3-23*01", cdr3: A },
    { id: "a-large", reads: [900, 50], v: "IGHV3-23*02", cdr3: A },
    { id: "b-large", reads: [500, 500], v: "IGHV1-69*01", cdr3: B },
    { id: "a-tie", reads: [20, 5], v: "IGHV3-23*01", cdr3: A },
    { id: "alone", reads: [300, 0], v: "IGHV4-34*01", cdr3: "GCGGCG" },
    { id: "trg-a", reads: [100, 100], locus: "TRG", v: "TRGV9*01", cdr3: A },
  ],
  { IGH: [2000, 1000], TRG: [500, 500] },
);

/** Clusters by the definition: entries with one key, in the order of each key's first entry,
 * each largest first by total reads, ties in the entries' order. */
function expectedGroups(entries: readonly Entry[], key: (entry: Entry) => string | null): string[][] {
  const keys: string[] = [];
  const byKey = new Map<string, Entry[]>();
  for (const entry of entries) {
    const value = key(entry);
    if (value === null) continue;
    if (!byKey.has(value)) keys.push(value);
    byKey.set(value, [...(byKey.get(value) ?? []), entry]);
  }
  const total = (entry: Entry) => entry.reads.reduce((sum, reads) => sum + reads, 0);
  return keys
    .map((value) => byKey.get(value)!)
    .filter((group) => group.length > 1)
    .map((group) => [...group].sort((a, b) => total(b) - total(a)).map((entry) => entry.id));
}

describe("clustering a large result fast", () => {
  const entries = buildEntries(result, emptyAnalysis());

  it("groups by CDR3 as the definition does, again and again (keys kept per clone)", () => {
    const cdr3 = (entry: Entry) => `${entry.clone.locus} ${entry.clone.cdr3?.aa}`;
    const expected = expectedGroups(entries, cdr3);
    expect(expected).toEqual([
      ["b-large", "b-small"],
      ["a-large", "a-small", "a-tie"],
    ]);
    expect(clusterGroups(entries, "cdr3")).toEqual(expected);
    expect(clusterGroups(entries, "cdr3")).toEqual(expected);
    prepareKeys(result.clones, "cdr3");
    expect(clusterGroups(entries, "cdr3")).toEqual(expected);
    // the same clones, other entries (reversed): the order follows the entries given
    const reversed = [...entries].reverse();
    expect(clusterGroups(reversed, "cdr3")).toEqual(expectedGroups(reversed, cdr3));
  });

  it("groups by V gene, alleles together, with keys of another kind kept apart", () => {
    const gene = (entry: Entry) => `${entry.clone.locus} ${entry.clone.v?.name.split("*")[0]}`;
    expect(clusterGroups(entries, "v")).toEqual(expectedGroups(entries, gene));
    expect(clusterGroups(entries, "cdr3")).toEqual(
      expectedGroups(entries, (e) => `${e.clone.locus} ${e.clone.cdr3?.aa}`),
    );
  });

  it("applies clusters as groups: representative first, reads summed, a clone named twice in the first", () => {
    const grouping = groupClones(result, [
      ["a-large", "a-small", "a-small"],
      ["a-small", "b-small"],
      ["nobody", "b-large"],
    ]);
    expect(grouping.members.map((members) => members.map((clone) => clone.id))).toEqual([
      ["a-large", "a-small"],
      ["b-small"],
      ["b-large"],
      ["a-tie"],
      ["alone"],
      ["trg-a"],
    ]);
    expect(grouping.reads[0]).toEqual([920, 55]);
    expect(grouping.reads[3]).toEqual([20, 5]);
  });

  it("gives a clustering's entries their ranks and colours, clustered again after an undo", () => {
    const clustered = mergedGroups(emptyAnalysis(), clusterGroups(entries, "cdr3"));
    const after = buildEntries(result, clustered);
    // sample 1: a 940, b 510, alone 300, trg 100; sample 2: b 500, trg 100, a 60; the two firsts
    // by total reads (b 1,010, a 1,000)
    expect(after.map((entry) => [entry.id, entry.rank, entry.colourIndex])).toEqual([
      ["b-large", 1, 1],
      ["a-large", 1, 2],
      ["alone", 3, 4],
      ["trg-a", 2, 3],
    ]);
    // back to the clones on their own: the same entries as before the clustering
    expect(buildEntries(result, emptyAnalysis())).toEqual(entries);
  });

  it("colours by V gene the same, the clones' genes kept from one colouring to the next", () => {
    const context = { result, sample: 0, tagNames: new Map<number, string>() };
    const first = colourScale("v", entries, entries, context);
    const again = colourScale("v", entries, entries.slice(0, 2), context);
    expect(entries.map(again.colour)).toEqual(entries.map(first.colour));
    expect(first.legend.map((item) => [item.label, item.count])).toEqual([
      ["IGHV3-23", 3],
      ["IGHV1-69", 2],
      ["IGHV4-34", 1],
      ["TRGV9", 1],
    ]);
  });
});
