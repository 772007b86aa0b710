/**
 * Automatic clustering, as Vidjil's cluster menu: entries sharing a V gene, a J gene, a CDR3, a
 * locus, or a similar CDR3 go into one cluster, the largest first (its representative). It only
 * proposes groups of entry ids; the analysis applies them (`mergedGroups`), as one undoable step.
 * Entries whose key is unknown (no designation, no CDR3) are left alone rather than lumped together.
 */
import { type Entry, geneName } from "./entries";

export type ClusterKey = "v" | "j" | "cdr3" | "locus" | "similar-cdr3";

export const CLUSTER_KEYS: readonly { key: ClusterKey; label: string }[] = [
  { key: "v", label: "same V gene" },
  { key: "j", label: "same J gene" },
  { key: "cdr3", label: "same CDR3 (amino acids)" },
  { key: "similar-cdr3", label: "similar CDR3 (nucleotides, ≥ 95% identical)" },
  { key: "locus", label: "same locus" },
];

/** At most this share of a CDR3's nucleotides may differ for "similar" (Vidjil's 95%). */
export const SIMILARITY = 0.95;

function exactKey(entry: Entry, key: Exclude<ClusterKey, "similar-cdr3">): string | null {
  const clone = entry.clone;
  if (key === "locus") return clone.locus;
  if (key === "v") return clone.v ? `${clone.locus} ${geneName(clone.v.name)}` : null;
  if (key === "j") return clone.j ? `${clone.locus} ${geneName(clone.j.name)}` : null;
  const aa = clone.cdr3?.aa || clone.junction?.aa || "";
  return aa === "" ? null : `${clone.locus} ${aa}`;
}

function totalReads(entry: Entry): number {
  return entry.reads.reduce((sum, reads) => sum + reads, 0);
}

/** Groups of two or more entries, each ordered largest first; ids are the entries' ids. */
export function clusterGroups(entries: readonly Entry[], key: ClusterKey): string[][] {
  const groups = key === "similar-cdr3" ? similarGroups(entries) : exactGroups(entries, key);
  return groups
    .filter((group) => group.length > 1)
    .map((group) => [...group].sort((a, b) => totalReads(b) - totalReads(a)).map((entry) => entry.id));
}

function exactGroups(entries: readonly Entry[], key: Exclude<ClusterKey, "similar-cdr3">): Entry[][] {
  const byKey = new Map<string, Entry[]>();
  for (const entry of entries) {
    const value = exactKey(entry, key);
    if (value === null) continue;
    const group = byKey.get(value);
    if (group) group.push(entry);
    else byKey.set(value, [entry]);
  }
  return [...byKey.values()];
}

/** The CDR3 nucleotides of the representative clone, or "" when it has no CDR3. */
export function cdr3Nucleotides(entry: Entry): string {
  const cdr3 = entry.clone.cdr3 ?? entry.clone.junction;
  return cdr3 === null ? "" : entry.clone.sequence.slice(cdr3.start, cdr3.end);
}

/** Whether two CDR3 of one length differ at no more than `allowed` positions. */
export function withinMismatches(a: string, b: string, allowed: number): boolean {
  let mismatches = 0;
  for (let i = 0; i < a.length; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i) && ++mismatches > allowed) return false;
  }
  return true;
}

/**
 * Single linkage within each locus and CDR3 length: two entries whose CDR3 differ at no more
 * than 5% of their positions are linked, and linked entries form one cluster. Same length only:
 * the somatic mutations that make such variants are substitutions.
 */
function similarGroups(entries: readonly Entry[]): Entry[][] {
  const buckets = new Map<string, { entry: Entry; cdr3: string }[]>();
  for (const entry of entries) {
    const cdr3 = cdr3Nucleotides(entry);
    if (cdr3 === "") continue;
    const bucketKey = `${entry.clone.locus} ${cdr3.length}`;
    const bucket = buckets.get(bucketKey) ?? [];
    bucket.push({ entry, cdr3 });
    buckets.set(bucketKey, bucket);
  }
  const groups: Entry[][] = [];
  for (const bucket of buckets.values()) groups.push(...linked(bucket));
  return groups;
}

function linked(bucket: { entry: Entry; cdr3: string }[]): Entry[][] {
  const parent = bucket.map((_, index) => index);
  const root = (index: number): number => {
    while (parent[index] !== index) {
      parent[index] = parent[parent[index]!]!;
      index = parent[index]!;
    }
    return index;
  };
  const allowed = Math.floor((1 - SIMILARITY) * (bucket[0]?.cdr3.length ?? 0) + 1e-9);
  for (let i = 0; i < bucket.length; i++) {
    for (let j = i + 1; j < bucket.length; j++) {
      if (root(i) === root(j)) continue;
      if (withinMismatches(bucket[i]!.cdr3, bucket[j]!.cdr3, allowed)) parent[root(j)] = root(i);
    }
  }
  const byRoot = new Map<number, Entry[]>();
  bucket.forEach((item, index) => {
    const group = byRoot.get(root(index)) ?? [];
    group.push(item.entry);
    byRoot.set(root(index), group);
  });
  return [...byRoot.values()];
}
