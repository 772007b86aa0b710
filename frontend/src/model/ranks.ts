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
 * Each group's rank. `reads` holds the clusters first (before `firstSingle`), then clones on
 * their own; `groupOfClone` gives the group of each clone on its own by its index in the result,
 * -1 for clones in a cluster.
 */
export function rankGroups(
  result: VidjilResult,
  reads: readonly (readonly number[])[],
  firstSingle: number,
  groupOfClone: Int32Array,
): Float64Array {
  const ranks = new Float64Array(reads.length).fill(Number.POSITIVE_INFINITY);
  const clusterReads = new Float64Array(firstSingle);
  sizesOf(result).forEach(({ order, reads: cloneReads }, sample) => {
    for (let index = 0; index < firstSingle; index++) {
      clusterReads[index] = Math.ceil(reads[index]![sample] ?? 0);
    }
    const clusterOrder = orderByReads(clusterReads);
    let place = 0;
    let next = 0;
    for (let position = 0; position < order.length; position++) {
      const clone = order[position] as number;
      const single = groupOfClone[clone] as number;
      if (single < firstSingle) continue;
      // A cluster with as many reads comes first: it is earlier in the entries' order.
      while (next < clusterOrder.length && clusterReads[clusterOrder[next]!]! >= cloneReads[clone]!) {
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
  return ranks;
}

/** Sorts `order[from..to)` by `totals`, the larger first, ties kept in order: an insertion sort,
 * in place, as a rank is shared by a few groups at most (one per sample). */
function largestFirst(order: Int32Array, from: number, to: number, totals: Float64Array): void {
  for (let place = from + 1; place < to; place++) {
    const index = order[place]!;
    let before = place - 1;
    while (before >= from && totals[order[before]!]! < totals[index]!) {
      order[before + 1] = order[before]!;
      before--;
    }
    order[before + 1] = index;
  }
}

/**
 * Each group's colour index: its place in (rank, total reads) order, from 1; several groups can
 * be first in different samples, and their colours must still differ. Ranks are small whole
 * numbers: a counting sort by rank keeps the groups' order within a rank, and only the few
 * groups sharing a rank are sorted, by their totals (`totals`), the larger first.
 */
export function colourOrder(ranks: Float64Array, totals: Float64Array): Float64Array {
  let highest = 0;
  for (const rank of ranks) if (Number.isFinite(rank)) highest = Math.max(highest, rank);
  const starts = new Int32Array(highest + 2);
  for (const rank of ranks) if (Number.isFinite(rank)) starts[rank + 1]!++;
  for (let rank = 1; rank <= highest + 1; rank++) starts[rank]! += starts[rank - 1]!;
  const ends = starts.slice(1);
  const byRank = new Int32Array(starts[highest + 1]!);
  ranks.forEach((rank, index) => {
    if (Number.isFinite(rank)) byRank[starts[rank]!++] = index;
  });
  const colours = new Float64Array(ranks.length).fill(Number.POSITIVE_INFINITY);
  let next = 1;
  let from = 0;
  for (let rank = 0; rank <= highest; rank++) {
    const to = ends[rank]!;
    largestFirst(byRank, from, to, totals);
    for (let place = from; place < to; place++) colours[byRank[place]!] = next++;
    from = to;
  }
  return colours;
}
