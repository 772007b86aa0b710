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

const cloneOrders = new WeakMap<VidjilResult, Int32Array[]>();

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

/** Per sample, the result's clones present in it, largest first (computed once per result). */
function clonesBySize(result: VidjilResult): Int32Array[] {
  let orders = cloneOrders.get(result);
  if (orders === undefined) {
    orders = result.samples.map((_, sample) =>
      orderByReads(result.clones.map((clone) => clone.reads[sample] ?? 0)),
    );
    cloneOrders.set(result, orders);
  }
  return orders;
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
  const orders = clonesBySize(result);
  const clusters = groups.slice(0, firstSingle);
  orders.forEach((singles, sample) => {
    const reads = (group: Rankable) => Math.ceil(group.reads[sample] ?? 0);
    const clusterOrder = orderByReads(clusters.map((group) => group.reads[sample] ?? 0));
    let place = 0;
    let next = 0;
    const rankNext = (group: Rankable) => {
      place++;
      if (place < group.rank) group.rank = place;
    };
    for (const clone of singles) {
      const index = groupOfClone[clone] as number;
      if (index < firstSingle) continue;
      const single = groups[index] as Rankable;
      // A cluster with as many reads comes first: it is earlier in the entries' order.
      while (next < clusterOrder.length && reads(clusters[clusterOrder[next] as number]!) >= reads(single)) {
        rankNext(clusters[clusterOrder[next++] as number]!);
      }
      rankNext(single);
    }
    while (next < clusterOrder.length) rankNext(clusters[clusterOrder[next++] as number]!);
  });
}

/** Several clones can be first in different samples; colours must still differ. */
export function assignColours(groups: readonly Rankable[]): void {
  // Ranks are small whole numbers: groups bucketed by rank, in their order, then by total reads.
  const byRank: Rankable[][] = [];
  for (const group of groups) if (Number.isFinite(group.rank)) (byRank[group.rank] ??= []).push(group);
  let next = 1;
  for (const bucket of byRank) {
    if (bucket === undefined) continue;
    const ordered =
      bucket.length === 1
        ? bucket
        : bucket
            .map((group) => ({ group, total: group.reads.reduce((sum, reads) => sum + reads, 0) }))
            .sort((a, b) => b.total - a.total)
            .map(({ group }) => group);
    for (const group of ordered) group.colourIndex = next++;
  }
}
