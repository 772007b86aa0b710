/**
 * Why reads were not segmented, from the per-sample analysis log ("UNSEG too short -> 310 ...",
 * as vidjil-algo writes it; ":" separators are accepted too).
 */
export interface ReadReason {
  label: string;
  reads: number;
}

const LINE = /^\s*((?:UN)?SEG[^:>-]*?)\s*(?:->|:)\s*(\d+)/;

export function unsegmentedReasons(log: string): ReadReason[] {
  const reasons: ReadReason[] = [];
  for (const line of log.split("\n")) {
    const match = LINE.exec(line);
    if (!match?.[1]?.startsWith("UNSEG")) continue;
    reasons.push({ label: match[1].replace(/^UNSEG\s*/, ""), reads: Number(match[2]) });
  }
  return reasons;
}

/** How the read pairs of a paired-end sample were merged (`samples._merging` of the file). */
export interface PairMerging {
  pairs: number;
  merged: number;
  /** Unmerged pairs by reason (no_overlap, ambiguous, short_mate). */
  unmerged: ReadReason[];
  /** What was analysed of an unmerged pair: "r1", "both" or "drop". */
  unmergedAnalysed: string;
  unmergedReads: number;
  /** Merged pairs whose fragment is shorter than a read (adapters dropped). */
  staggered: number;
  /** [overlap length in nt, merged pairs], shortest first. */
  overlaps: [number, number][];
}

const count = (value: unknown): number => (typeof value === "number" && value >= 0 ? value : 0);

export function pairMerging(raw: unknown): PairMerging | null {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return null;
  const entry = raw as Record<string, unknown>;
  const unmerged = entry.unmerged !== null && typeof entry.unmerged === "object" ? entry.unmerged : {};
  const lengths =
    entry.overlap_lengths !== null && typeof entry.overlap_lengths === "object" ? entry.overlap_lengths : {};
  return {
    pairs: count(entry.pairs),
    merged: count(entry.merged),
    unmerged: Object.entries(unmerged).map(([reason, reads]) => ({
      label: reason.replace(/_/g, " "),
      reads: count(reads),
    })),
    unmergedAnalysed: typeof entry.unmerged_analysed === "string" ? entry.unmerged_analysed : "",
    unmergedReads: count(entry.unmerged_reads),
    staggered: count(entry.staggered),
    overlaps: Object.entries(lengths)
      .map(([length, pairs]): [number, number] => [Number(length), count(pairs)])
      .filter(([length]) => Number.isFinite(length))
      .sort((a, b) => a[0] - b[0]),
  };
}

/** The overlap length below which half of the merged pairs are (0 without merged pairs). */
export function medianOverlap(overlaps: [number, number][]): number {
  const total = overlaps.reduce((sum, [, pairs]) => sum + pairs, 0);
  let seen = 0;
  for (const [length, pairs] of overlaps) {
    seen += pairs;
    if (2 * seen >= total) return length;
  }
  return 0;
}
