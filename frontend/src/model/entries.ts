/**
 * What the views show: one entry per clone or per merged cluster, with summed reads, the
 * user's name and tag, and its rank. Every view reads entries, never raw clones.
 */
import type { Analysis } from "./analysis";
import { OTHER_COLOUR, rankColour, tagByIndex } from "./tags";
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

export function buildEntries(result: VidjilResult, analysis: Analysis): Entry[] {
  const byId = new Map(result.clones.map((clone) => [clone.id, clone]));
  const grouped = new Set<string>();
  const groups: Clone[][] = [];
  for (const cluster of [...result.clusters, ...analysis.clusters]) {
    const members = cluster
      .filter((id) => !grouped.has(id))
      .map((id) => byId.get(id))
      .filter((clone): clone is Clone => clone !== undefined);
    if (members.length === 0) continue;
    for (const member of members) grouped.add(member.id);
    groups.push(members);
  }
  for (const clone of result.clones) if (!grouped.has(clone.id)) groups.push([clone]);
  const entries = groups.map((members) => entryOf(members, analysis, result.samples.length));
  assignRanks(entries, result.samples.length);
  assignColours(entries);
  return entries;
}

function entryOf(members: Clone[], analysis: Analysis, sampleCount: number): Entry {
  const clone = members[0] as Clone;
  const reads = Array.from({ length: sampleCount }, (_, i) =>
    members.reduce((sum, member) => sum + (member.reads[i] ?? 0), 0),
  );
  const customName = analysis.names.get(clone.id);
  return {
    id: clone.id,
    clone,
    members,
    reads,
    name: customName ?? clone.name,
    customName: customName !== undefined,
    tag: analysis.tags.get(clone.id) ?? null,
    rank: Number.POSITIVE_INFINITY,
    colourIndex: Number.POSITIVE_INFINITY,
  };
}

function assignRanks(entries: Entry[], sampleCount: number): void {
  for (let sample = 0; sample < sampleCount; sample++) {
    const present = entries.filter((entry) => (entry.reads[sample] ?? 0) > 0);
    present.sort((a, b) => (b.reads[sample] ?? 0) - (a.reads[sample] ?? 0));
    present.forEach((entry, index) => {
      entry.rank = Math.min(entry.rank, index + 1);
    });
  }
}

/** Several clones can be first in different samples; colours must still differ. */
function assignColours(entries: Entry[]): void {
  const total = (entry: Entry) => entry.reads.reduce((sum, reads) => sum + reads, 0);
  const ordered = entries.filter((entry) => Number.isFinite(entry.rank));
  ordered.sort((a, b) => a.rank - b.rank || total(b) - total(a));
  ordered.forEach((entry, index) => {
    entry.colourIndex = index + 1;
  });
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

export function entryColour(entry: Entry): string {
  const tag = tagByIndex(entry.tag);
  if (tag !== null) return tag.colour;
  return Number.isFinite(entry.colourIndex) ? rankColour(entry.colourIndex) : OTHER_COLOUR;
}

/** Gene name without its allele: "IGHV3-23*01" -> "IGHV3-23". */
export function geneName(name: string | undefined): string {
  return name === undefined ? "?" : (name.split("*")[0] ?? name);
}

/** Vidjil's default allele display: "*01" is implied, other alleles are shown. */
export function displayName(entry: Entry): string {
  return entry.customName ? entry.name : entry.name.replace(/\*01\b/g, "");
}
