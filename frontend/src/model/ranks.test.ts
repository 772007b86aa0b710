import { describe, expect, it } from "vitest";
import { emptyAnalysis, mergedGroups } from "./analysis";
import { buildEntries, type Entry } from "./entries";
import { orderByReads } from "./ranks";
import { resultOf } from "./testing";

/** A reproducible stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** Ranks and colour indices as the definition says, by sorting every entry of every sample. */
function expected(entries: readonly Entry[], samples: number): { rank: number; colourIndex: number }[] {
  const ranks = entries.map(() => Number.POSITIVE_INFINITY);
  for (let sample = 0; sample < samples; sample++) {
    const present = entries
      .map((entry, index) => ({ reads: Math.ceil(entry.reads[sample] ?? 0), index }))
      .filter(({ reads }) => reads > 0)
      .sort((a, b) => b.reads - a.reads || a.index - b.index);
    present.forEach(({ index }, place) => {
      ranks[index] = Math.min(ranks[index]!, place + 1);
    });
  }
  const total = (entry: Entry) => entry.reads.reduce((sum, reads) => sum + reads, 0);
  const colours = entries.map(() => Number.POSITIVE_INFINITY);
  entries
    .map((entry, index) => ({ entry, index }))
    .filter(({ index }) => Number.isFinite(ranks[index]))
    .sort((a, b) => ranks[a.index]! - ranks[b.index]! || total(b.entry) - total(a.entry))
    .forEach(({ index }, place) => {
      colours[index] = place + 1;
    });
  return entries.map((_, index) => ({ rank: ranks[index]!, colourIndex: colours[index]! }));
}

describe("ranks", () => {
  it("orders values by whole value, largest first, ties by position, leaving out zeros", () => {
    expect([...orderByReads([3, 0, 7, 2.5, 3, 6.2])]).toEqual([2, 5, 0, 3, 4]);
    expect([...orderByReads([])]).toEqual([]);
  });

  it("gives every entry its best rank and colour, clustered or not, ties included", () => {
    const next = random(42);
    const samples = 4;
    // Few distinct read counts, so that many clones tie; some clones absent from some samples.
    const clones = Array.from({ length: 400 }, (_, index) => ({
      id: `c${index}`,
      reads: Array.from({ length: samples }, () => (next() < 0.3 ? 0 : Math.floor(next() * 12))),
    }));
    const result = resultOf(clones, { IGH: Array.from({ length: samples }, () => 10000) });
    const clusters = Array.from({ length: 40 }, (_, group) => [
      `c${(group * 7) % 400}`,
      `c${(group * 7 + 3) % 400}`,
      `c${(group * 13 + 1) % 400}`,
    ]);
    for (const analysis of [emptyAnalysis(), mergedGroups(emptyAnalysis(), clusters)]) {
      const entries = buildEntries(result, analysis);
      const found = entries.map(({ rank, colourIndex }) => ({ rank, colourIndex }));
      expect(found).toEqual(expected(entries, samples));
    }
  });

  it("ranks a cluster before a clone with as many reads", () => {
    const result = resultOf(
      [
        { id: "single", reads: [10] },
        { id: "a", reads: [6] },
        { id: "b", reads: [4] },
      ],
      { IGH: [100] },
    );
    const entries = buildEntries(result, mergedGroups(emptyAnalysis(), [["a", "b"]]));
    expect(entries.map((entry) => [entry.id, entry.rank])).toEqual([
      ["a", 1],
      ["single", 2],
    ]);
  });
});
