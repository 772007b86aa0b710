/**
 * Automatic clustering, as Vidjil's cluster menu: entries sharing a V gene, a J gene, a CDR3, a
 * locus, or a similar CDR3 go into one cluster, the largest first (its representative). It only
 * proposes groups of entry ids; the analysis applies them (`mergedGroups`), as one undoable step.
 * Entries whose key is unknown (no designation, no CDR3) are left alone rather than lumped together.
 */
import { type Entry, geneName } from "./entries";
import type { Clone } from "./vidjil";

export type ClusterKey = "v" | "j" | "cdr3" | "locus" | "similar-cdr3";
type ExactKey = Exclude<ClusterKey, "similar-cdr3">;

export const CLUSTER_KEYS: readonly { key: ClusterKey; label: string }[] = [
  { key: "v", label: "same V gene" },
  { key: "j", label: "same J gene" },
  { key: "cdr3", label: "same CDR3 (amino acids)" },
  { key: "similar-cdr3", label: "similar CDR3 (nucleotides, ≥ 95% identical)" },
  { key: "locus", label: "same locus" },
];

/** At most this share of a CDR3's nucleotides may differ for "similar" (Vidjil's 95%). */
export const SIMILARITY = 0.95;

function exactKey(clone: Clone, key: ExactKey): string | null {
  if (key === "locus") return clone.locus;
  if (key === "v") return clone.v ? `${clone.locus} ${geneName(clone.v.name)}` : null;
  if (key === "j") return clone.j ? `${clone.locus} ${geneName(clone.j.name)}` : null;
  const aa = clone.cdr3?.aa || clone.junction?.aa || "";
  return aa === "" ? null : `${clone.locus} ${aa}`;
}

/**
 * Each clone's key, made once per clone and kind: reading 10,000 clones' designations (spread
 * over a large heap) and building their keys cost more than the clustering itself, and the same
 * clustering comes again after an undo, or after clustering by another key.
 */
const keysOf: Record<ExactKey, WeakMap<Clone, string | null>> = {
  v: new WeakMap(),
  j: new WeakMap(),
  cdr3: new WeakMap(),
  locus: new WeakMap(),
};

function cachedKey(clone: Clone, key: ExactKey): string | null {
  const keys = keysOf[key];
  let value = keys.get(clone);
  if (value === undefined) {
    value = exactKey(clone, key);
    keys.set(clone, value);
  }
  return value;
}

/**
 * Makes the clones' keys of one kind ahead of time (the viewer does it while the user looks at a
 * result just opened): the first clustering by that key then only groups them.
 */
export function prepareKeys(clones: readonly Clone[], key: Exclude<ClusterKey, "similar-cdr3">): void {
  for (const clone of clones) cachedKey(clone, key);
}

function totalReads(entry: Entry): number {
  let total = 0;
  for (const reads of entry.reads) total += reads;
  return total;
}

/** Largest first (ties in the entries' order): totals summed once per entry, not per comparison. */
function largestFirst(group: readonly Entry[]): string[] {
  const totals = group.map(totalReads);
  const order = group.map((_, index) => index);
  order.sort((a, b) => totals[b]! - totals[a]!);
  return order.map((index) => group[index]!.id);
}

/** Groups of two or more entries, each ordered largest first; ids are the entries' ids. */
export function clusterGroups(entries: readonly Entry[], key: ClusterKey): string[][] {
  const groups = key === "similar-cdr3" ? similarGroups(entries) : exactGroups(entries, key);
  return groups.filter((group) => group.length > 1).map(largestFirst);
}

/**
 * Entries sharing a key, in the order of each key's first entry. Most of 10,000 clones have a key
 * of their own: such an entry stays alone in the map, and a list is made when a second one comes.
 */
function exactGroups(entries: readonly Entry[], key: ExactKey): Entry[][] {
  const byKey = new Map<string, Entry | Entry[]>();
  for (const entry of entries) {
    const value = cachedKey(entry.clone, key);
    if (value === null) continue;
    const found = byKey.get(value);
    if (found === undefined) byKey.set(value, entry);
    else if (Array.isArray(found)) found.push(entry);
    else byKey.set(value, [found, entry]);
  }
  const groups: Entry[][] = [];
  for (const found of byKey.values()) if (Array.isArray(found)) groups.push(found);
  return groups;
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
