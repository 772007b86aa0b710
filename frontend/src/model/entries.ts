/**
 * What the views show: one entry per clone or per merged cluster, with summed reads, the
 * user's name and tag, and its rank. Every view reads entries, never raw clones.
 */
import type { Analysis } from "./analysis";
import { assignColours, assignRanks } from "./ranks";
import type { Clone, VidjilResult } from "./vidjil";

export type Productivity = "productive" | "unproductive" | "unknown";

export interface Entry {
  id: string;
  /** The representative clone: its sequence and designation stand for the cluster. */
  clone: Clone;
  members: Clone[];
  reads: number[];
  name: string;
  customName: boolean;
  tag: number | null;
  /** Best rank over all samples (1 = largest in some sample). */
  rank: number;
  /** Position in (rank, reads) order: gives each top clone its own colour. */
  colourIndex: number;
}

/** Clones grouped by the analysis's clusters, with summed reads and ranks: names and tags aside. */
export interface Group {
  clone: Clone;
  members: Clone[];
  reads: number[];
  rank: number;
  colourIndex: number;
}

/** What groups of one clone share across clusterings: kept per result, never changed. */
interface Singles {
  byId: Map<string, Clone>;
  members: Clone[][];
  reads: number[][];
}

const singlesOf = new WeakMap<VidjilResult, Singles>();

function singles(result: VidjilResult): Singles {
  let found = singlesOf.get(result);
  if (found === undefined) {
    const sampleCount = result.samples.length;
    found = {
      byId: new Map(result.clones.map((clone) => [clone.id, clone])),
      members: result.clones.map((clone) => [clone]),
      reads: result.clones.map((clone) => summedReads([clone], sampleCount)),
    };
    singlesOf.set(result, found);
  }
  return found;
}

/**
 * The clusters applied to the result's clones; depends on the clusters only, not names or tags.
 * A clustering touches a few hundred of 10,000 clones: the others' members and reads are shared
 * between clusterings (see `singles`), and their ranks merged (`assignRanks`), not resorted.
 */
export function groupClones(result: VidjilResult, clusters: readonly (readonly string[])[]): Group[] {
  const { byId, members: singleMembers, reads: singleReads } = singles(result);
  const sampleCount = result.samples.length;
  const grouped = new Set<string>();
  const groups: Group[] = [];
  for (const cluster of clusters) {
    const members = cluster
      .filter((id) => !grouped.has(id))
      .map((id) => byId.get(id))
      .filter((clone): clone is Clone => clone !== undefined);
    if (members.length === 0) continue;
    for (const member of members) grouped.add(member.id);
    groups.push(groupOf(members, summedReads(members, sampleCount)));
  }
  const firstSingle = groups.length;
  const groupOfClone = new Int32Array(result.clones.length).fill(-1);
  result.clones.forEach((clone, index) => {
    if (grouped.has(clone.id)) return;
    groupOfClone[index] = groups.length;
    groups.push(groupOf(singleMembers[index]!, singleReads[index]!));
  });
  assignRanks(groups, result, firstSingle, groupOfClone);
  assignColours(groups);
  return groups;
}

export function buildEntries(
  result: VidjilResult,
  analysis: Analysis,
  groups: readonly Group[] = groupClones(result, analysis.clusters),
): Entry[] {
  return groups.map((group) => {
    const id = group.clone.id;
    const customName = analysis.names.get(id);
    // Every field named: one object shape for all entries, built without copying the group's keys.
    return {
      id,
      clone: group.clone,
      members: group.members,
      reads: group.reads,
      name: customName ?? group.clone.name,
      customName: customName !== undefined,
      tag: analysis.tags.get(id) ?? null,
      rank: group.rank,
      colourIndex: group.colourIndex,
    };
  });
}

function summedReads(members: readonly Clone[], sampleCount: number): number[] {
  const reads = new Array<number>(sampleCount).fill(0);
  for (const member of members) {
    for (let i = 0; i < sampleCount; i++) reads[i]! += member.reads[i] ?? 0;
  }
  return reads;
}

function groupOf(members: Clone[], reads: number[]): Group {
  return {
    clone: members[0] as Clone,
    members,
    reads,
    rank: Number.POSITIVE_INFINITY,
    colourIndex: Number.POSITIVE_INFINITY,
  };
}

/** Share of the sample's segmented reads, as a fraction (0..1). */
export function fraction(entry: Entry, result: VidjilResult, sample: number): number {
  const segmented = result.samples[sample]?.segmentedReads ?? 0;
  return segmented > 0 ? (entry.reads[sample] ?? 0) / segmented : 0;
}

/** Share of the segmented reads of the entry's locus in that sample. */
export function fractionInLocus(entry: Entry, result: VidjilResult, sample: number): number {
  const locusReads = result.lociReads.get(entry.clone.locus)?.[sample] ?? 0;
  return locusReads > 0 ? (entry.reads[sample] ?? 0) / locusReads : 0;
}

export function productivity(clone: Clone): Productivity {
  const productive = clone.junction?.productive;
  if (productive === true) return "productive";
  if (productive === false) return "unproductive";
  return "unknown";
}

export function productivityLabel(clone: Clone): string {
  const state = productivity(clone);
  if (state !== "unproductive") return state === "unknown" ? "not designated" : state;
  const cause = clone.junction?.unproductiveCause;
  return cause ? `unproductive (${cause.replaceAll("-", " ")})` : "unproductive";
}

/** Gene name without its allele: "IGHV3-23*01" -> "IGHV3-23". */
export function geneName(name: string | undefined): string {
  return name === undefined ? "?" : (name.split("*")[0] ?? name);
}

/** Vidjil's default allele display: "*01" is implied, other alleles are shown. */
export function displayName(entry: Entry): string {
  return entry.customName ? entry.name : entry.name.replace(/\*01\b/g, "");
}
