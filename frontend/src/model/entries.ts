/**
 * What the views show: one entry per clone or per merged cluster, with summed reads, the
 * user's name and tag, and its rank. Every view reads entries, never raw clones.
 */
import type { Analysis } from "./analysis";
import { colourOrder, rankGroups } from "./ranks";
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

/**
 * Clones grouped by the analysis's clusters, names and tags aside: group by group, the clusters
 * first, then the clones on their own in the result's order. Arrays, not 10,000 small objects:
 * a clustering builds them again.
 */
export interface Grouping {
  /** Each group's clones, the representative first. */
  members: Clone[][];
  reads: number[][];
  ranks: Float64Array;
  colourIndices: Float64Array;
}

/** What groups of one clone share across clusterings: kept per result, never changed. */
interface Singles {
  indexOf: Map<string, number>;
  members: Clone[][];
  reads: number[][];
  totals: Float64Array;
}

const singlesOf = new WeakMap<VidjilResult, Singles>();

function singles(result: VidjilResult): Singles {
  let found = singlesOf.get(result);
  if (found === undefined) {
    const sampleCount = result.samples.length;
    const reads = result.clones.map((clone) => summedReads([clone], sampleCount));
    found = {
      indexOf: new Map(result.clones.map((clone, index) => [clone.id, index])),
      members: result.clones.map((clone) => [clone]),
      reads,
      totals: Float64Array.from(reads, total),
    };
    singlesOf.set(result, found);
  }
  return found;
}

/**
 * The clusters applied to the result's clones; depends on the clusters only, not names or tags.
 * A clustering touches a few hundred of 10,000 clones: the others' members, reads and totals are
 * shared between clusterings (see `singles`), and their ranks merged (`rankGroups`), not resorted.
 * A clone named by two clusters stays in the first.
 */
export function groupClones(result: VidjilResult, clusters: readonly (readonly string[])[]): Grouping {
  const single = singles(result);
  const clones = result.clones;
  const inCluster = new Uint8Array(clones.length);
  const members: Clone[][] = [];
  const reads: number[][] = [];
  for (const cluster of clusters) {
    const found: Clone[] = [];
    for (const id of cluster) {
      const index = single.indexOf.get(id);
      if (index === undefined || inCluster[index] === 1) continue;
      inCluster[index] = 1;
      found.push(clones[index] as Clone);
    }
    if (found.length === 0) continue;
    members.push(found);
    reads.push(summedReads(found, result.samples.length));
  }
  const firstSingle = members.length;
  const groupOfClone = new Int32Array(clones.length).fill(-1);
  for (let index = 0; index < clones.length; index++) {
    if (inCluster[index] === 1) continue;
    groupOfClone[index] = members.length;
    members.push(single.members[index] as Clone[]);
    reads.push(single.reads[index] as number[]);
  }
  const totals = new Float64Array(members.length);
  for (let group = 0; group < firstSingle; group++) totals[group] = total(reads[group] as number[]);
  for (let index = 0; index < clones.length; index++) {
    const group = groupOfClone[index] as number;
    if (group >= 0) totals[group] = single.totals[index] as number;
  }
  const ranks = rankGroups(result, reads, firstSingle, groupOfClone);
  return { members, reads, ranks, colourIndices: colourOrder(ranks, totals) };
}

export function buildEntries(
  result: VidjilResult,
  analysis: Analysis,
  grouping: Grouping = groupClones(result, analysis.clusters),
): Entry[] {
  const { members, reads, ranks, colourIndices } = grouping;
  const entries = new Array<Entry>(members.length);
  for (let group = 0; group < members.length; group++) {
    const clone = (members[group] as Clone[])[0] as Clone;
    const customName = analysis.names.get(clone.id);
    // Every field named: one object shape for all entries.
    entries[group] = {
      id: clone.id,
      clone,
      members: members[group] as Clone[],
      reads: reads[group] as number[],
      name: customName ?? clone.name,
      customName: customName !== undefined,
      tag: analysis.tags.get(clone.id) ?? null,
      rank: ranks[group] as number,
      colourIndex: colourIndices[group] as number,
    };
  }
  return entries;
}

function total(reads: readonly number[]): number {
  let sum = 0;
  for (const value of reads) sum += value;
  return sum;
}

function summedReads(members: readonly Clone[], sampleCount: number): number[] {
  const reads = new Array<number>(sampleCount).fill(0);
  for (const member of members) {
    for (let i = 0; i < sampleCount; i++) reads[i]! += member.reads[i] ?? 0;
  }
  return reads;
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
  if (name === undefined) return "?";
  const star = name.indexOf("*");
  return star < 0 ? name : name.slice(0, star);
}

/** Vidjil's default allele display: "*01" is implied, other alleles are shown. */
export function displayName(entry: Entry): string {
  return entry.customName ? entry.name : entry.name.replace(/\*01\b/g, "");
}
