/**
 * The user's layer over a `.vidjil` result: custom names, tags and manual merges. It lives in
 * memory and is saved as a small `.analysis` JSON file (Vidjil's format), never in the result.
 */
import type { VidjilResult } from "./vidjil";

export interface Analysis {
  names: Map<string, string>;
  tags: Map<string, number>;
  /** Manual merges; the first id of each cluster is its representative. */
  clusters: string[][];
}

export function emptyAnalysis(clusters: string[][] = []): Analysis {
  return { names: new Map(), tags: new Map(), clusters: clusters.map((c) => [...c]) };
}

export function renamed(analysis: Analysis, id: string, name: string): Analysis {
  const names = new Map(analysis.names);
  if (name.trim() === "") names.delete(id);
  else names.set(id, name.trim());
  return { ...analysis, names };
}

export function tagged(analysis: Analysis, ids: readonly string[], tag: number | null): Analysis {
  const tags = new Map(analysis.tags);
  for (const id of ids) {
    if (tag === null) tags.delete(id);
    else tags.set(id, tag);
  }
  return { ...analysis, tags };
}

function clusterOf(analysis: Analysis, id: string): string[] {
  return analysis.clusters.find((cluster) => cluster.includes(id)) ?? [id];
}

/** Merges the clusters of `ids` into one whose representative is the first id. */
export function merged(analysis: Analysis, ids: readonly string[]): Analysis {
  if (ids.length < 2) return analysis;
  const members = [...new Set(ids.flatMap((id) => clusterOf(analysis, id)))];
  const untouched = analysis.clusters.filter((cluster) => !cluster.some((id) => members.includes(id)));
  const first = ids[0] as string;
  return { ...analysis, clusters: [...untouched, [first, ...members.filter((id) => id !== first)]] };
}

/** Splits every cluster containing one of `ids` back into single clones. */
export function split(analysis: Analysis, ids: readonly string[]): Analysis {
  const clusters = analysis.clusters.filter((cluster) => !cluster.some((id) => ids.includes(id)));
  return { ...analysis, clusters };
}

export function analysisDocument(analysis: Analysis, result: VidjilResult): Record<string, unknown> {
  const ids = new Set([...analysis.names.keys(), ...analysis.tags.keys()]);
  return {
    vidjil_json_version: "2016b",
    producer: "vidjil-local client",
    timestamp: new Date().toISOString().replace("T", " ").slice(0, 19),
    samples: {
      number: result.samples.length,
      original_names: result.samples.map((sample) => sample.originalName),
      names: result.samples.map((sample) => sample.name),
    },
    clones: [...ids].sort().map((id) => {
      const entry: Record<string, unknown> = { id };
      const name = analysis.names.get(id);
      const tag = analysis.tags.get(id);
      if (name !== undefined) entry.name = name;
      if (tag !== undefined) entry.tag = tag;
      return entry;
    }),
    clusters: analysis.clusters,
    tags: {},
  };
}

/** Reads a `.analysis` file; clones it names that are not in the result are ignored. */
export function parseAnalysis(source: string, result: VidjilResult): Analysis {
  const raw: unknown = JSON.parse(source);
  if (typeof raw !== "object" || raw === null) throw new Error("an .analysis file is a JSON object");
  const known = new Set(result.clones.map((clone) => clone.id));
  const document = raw as { clones?: unknown; clusters?: unknown };
  const analysis = emptyAnalysis();
  for (const item of Array.isArray(document.clones) ? document.clones : []) {
    const clone = item as { id?: unknown; name?: unknown; tag?: unknown };
    if (typeof clone.id !== "string" || !known.has(clone.id)) continue;
    if (typeof clone.name === "string") analysis.names.set(clone.id, clone.name);
    if (typeof clone.tag === "number") analysis.tags.set(clone.id, clone.tag);
  }
  const clusters = Array.isArray(document.clusters) ? document.clusters : [];
  analysis.clusters = clusters
    .filter((cluster): cluster is unknown[] => Array.isArray(cluster))
    .map((cluster) => cluster.filter((id): id is string => typeof id === "string" && known.has(id)))
    .filter((cluster) => cluster.length > 1);
  return analysis;
}
