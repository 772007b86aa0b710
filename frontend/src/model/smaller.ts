/**
 * Vidjil's grey "smaller clonotypes": per locus, the reads of that locus that no shown clone
 * holds (clones below the top N, hidden or filtered out, and the reads of clones too small to be
 * listed in the file at all). With them, the shares of the list add up to 100% of every shown
 * locus, so a clone's % is never read against a partial total.
 */
import type { Entry } from "./entries";
import type { VidjilResult } from "./vidjil";

export interface SmallerClonotypes {
  locus: string;
  /** Reads per sample: the locus's reads minus those of its shown clones (never below 0). */
  reads: number[];
}

/** One row per shown locus with reads left over in some sample, in the loci's order of size. */
export function smallerClonotypes(
  result: VidjilResult,
  shown: readonly Entry[],
  hiddenLoci: ReadonlySet<string>,
): SmallerClonotypes[] {
  const sampleCount = result.samples.length;
  const inShown = new Map<string, number[]>();
  for (const entry of shown) {
    // A merge may hold clones of several loci: each member counts in its own locus.
    for (const member of entry.members) {
      const sums = inShown.get(member.locus) ?? new Array<number>(sampleCount).fill(0);
      for (let i = 0; i < sampleCount; i++) sums[i]! += member.reads[i] ?? 0;
      inShown.set(member.locus, sums);
    }
  }
  const rows: SmallerClonotypes[] = [];
  for (const [locus, locusReads] of result.lociReads) {
    if (hiddenLoci.has(locus)) continue;
    const taken = inShown.get(locus);
    const reads = locusReads.map((total, i) => Math.max(0, total - (taken?.[i] ?? 0)));
    if (reads.some((value) => value > 0)) rows.push({ locus, reads });
  }
  const size = (row: SmallerClonotypes) => row.reads.reduce((sum, value) => sum + value, 0);
  return rows.sort((a, b) => size(b) - size(a));
}

/** Share of the sample's segmented reads, as for clones (0..1). */
export function smallerFraction(row: SmallerClonotypes, result: VidjilResult, sample: number): number {
  const segmented = result.samples[sample]?.segmentedReads ?? 0;
  return segmented > 0 ? (row.reads[sample] ?? 0) / segmented : 0;
}
