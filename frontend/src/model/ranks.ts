/**
 * Ranks of the entries: an entry's rank is its best place over the samples (1 = largest in some
 * sample), and its colour index its place in (rank, total reads) order. Ties in a sample (same
 * whole number of reads) go in the entries' order: clusters first, then clones in file order.
 *
 * Clustering 10,000 clones changes a few hundred groups: the clones' order in each sample is
 * sorted once per result and kept, and each clustering merges it with the few clusters' order
 * instead of sorting every group of every sample again.
 */
import type { VidjilResult } from "./vidjil";

export interface Rankable {
  reads: number[];
  rank: number;
  colourIndex: number;
}

/** Per sample: the result's clones present, largest first, and each clone's whole reads. */
interface CloneSizes {
  order: Int32Array;
  reads: Float64Array;
}

const cloneSizes = new WeakMap<VidjilResult, CloneSizes[]>();

/**
 * Indices of the positive values, by whole value (rounded up) largest first, ties by index. A
 * typed array of keys (value, then index) sorts natively, far faster than a comparator.
 */
export function orderByReads(values: ArrayLike<number>): Int32Array {
  const positions = 2 ** Math.ceil(Math.log2(values.length + 1));
  const keys = new Float64Array(values.length);
  let present = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index] as number;
    if (value > 0) keys[present++] = Math.ceil(value) * positions + (positions - 1 - index);
  }
  const sorted = keys.subarray(0, present).sort();
  const order = new Int32Array(present);
  for (let place = 0; place < present; place++) {
    order[place] = positions - 1 - ((sorted[present - 1 - place] as number) % positions);
  }
  return order;
}

/** The clones' sizes per sample, computed once per result. */
function sizesOf(result: VidjilResult): CloneSizes[] {
  let sizes = cloneSizes.get(result);
  if (sizes === undefined) {
    sizes = result.samples.map((_, sample) => {
      const reads = Float64Array.from(result.clones, (clone) => Math.ceil(clone.reads[sample] ?? 0));
      return { order: orderByReads(reads), reads };
    });
    cloneSizes.set(result, sizes);
  }
  return sizes;
}

/**
 * Sets each group's rank. `groups` holds the clusters first (before `firstSingle`), then clones
 * on their own; `groupOfClone` gives the group of each clone on its own by its index in the
 * result, -1 for clones in a cluster.
 */
export function assignRanks(
  groups: readonly Rankable[],
  result: VidjilResult,
  firstSingle: number,
  groupOfClone: Int32Array,
): void {
  const ranks = new Float64Array(groups.length).fill(Number.POSITIVE_INFINITY);
  const clusterReads = new Float64Array(firstSingle);
  sizesOf(result).forEach(({ order, reads }, sample) => {
    for (let index = 0; index < firstSingle; index++) {
      clusterReads[index] = Math.ceil(groups[index]!.reads[sample] ?? 0);
    }
    const clusterOrder = orderByReads(clusterReads);
    let place = 0;
    let next = 0;
    for (let position = 0; position < order.length; position++) {
      const clone = order[position] as number;
      const single = groupOfClone[clone] as number;
      if (single < firstSingle) continue;
      // A cluster with as many reads comes first: it is earlier in the entries' order.
      while (next < clusterOrder.length && clusterReads[clusterOrder[next]!]! >= reads[clone]!) {
        const cluster = clusterOrder[next++]!;
        place++;
        if (place < ranks[cluster]!) ranks[cluster] = place;
      }
      place++;
      if (place < ranks[single]!) ranks[single] = place;
    }
    for (; next < clusterOrder.length; next++) {
      const cluster = clusterOrder[next]!;
      place++;
      if (place < ranks[cluster]!) ranks[cluster] = place;
    }
  });
  groups.forEach((group, index) => {
    group.rank = ranks[index]!;
  });
}

/** Several clones can be first in different samples; colours must still differ. */
export function assignColours(groups: readonly Rankable[]): void {
  // Ranks are small whole numbers: a counting sort by rank keeps the groups' order within a rank.
  let highest = 0;
  for (const group of groups) if (Number.isFinite(group.rank)) highest = Math.max(highest, group.rank);
  const starts = new Int32Array(highest + 2);
  for (const group of groups) if (Number.isFinite(group.rank)) starts[group.rank + 1]!++;
  for (let rank = 1; rank <= highest + 1; rank++) starts[rank]! += starts[rank - 1]!;
  const ends = starts.slice(1);
  const byRank = new Int32Array(starts[highest + 1]!);
  groups.forEach((group, index) => {
    if (Number.isFinite(group.rank)) byRank[starts[group.rank]!++] = index;
  });
  let next = 1;
  let from = 0;
  for (let rank = 0; rank <= highest; rank++) {
    const to = ends[rank]!;
    if (to - from === 1) groups[byRank[from]!]!.colourIndex = next++;
    else if (to - from > 1)
      for (const index of largestFirst(groups, byRank.subarray(from, to)))
        groups[index]!.colourIndex = next++;
    from = to;
  }
}

/** Groups of one rank (first in different samples): the larger in all samples first. */
function largestFirst(groups: readonly Rankable[], tied: Int32Array): number[] {
  const total = (index: number) => groups[index]!.reads.reduce((sum, reads) => sum + reads, 0);
  return [...tied]
    .map((index) => ({ index, total: total(index) }))
    .sort((a, b) => b.total - a.total)
    .map(({ index }) => index);
}
