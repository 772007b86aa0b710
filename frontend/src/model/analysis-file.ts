/**
 * The `.analysis` file (Vidjil's format 2016b): `clones` (name, tag), `clusters`, `tags` (`names`
 * by tag index, `hide`) and `samples` (`order` of the samples shown, `stock_order` of all). What
 * it names that the result does not hold is ignored; what it leaves out keeps its default.
 */
import { type Analysis, emptyAnalysis, fileTags } from "./analysis";
import { tagByIndex } from "./tags";
import type { VidjilResult } from "./vidjil";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function analysisDocument(analysis: Analysis, result: VidjilResult): Record<string, unknown> {
  const ids = new Set([...analysis.names.keys(), ...analysis.tags.keys()]);
  const everySample = result.samples.map((_, index) => index);
  const order = analysis.sampleOrder ?? everySample;
  return {
    vidjil_json_version: "2016b",
    producer: "vidjil-local client",
    timestamp: new Date().toISOString().replace("T", " ").slice(0, 19),
    samples: {
      number: result.samples.length,
      id: result.samples.map((sample) => sample.originalName),
      original_names: result.samples.map((sample) => sample.originalName),
      names: result.samples.map((sample) => sample.name),
      order,
      stock_order: [...order, ...everySample.filter((index) => !order.includes(index))],
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
    tags: {
      names: Object.fromEntries([...analysis.tagNames].sort((a, b) => a[0] - b[0])),
      hide: [...analysis.hiddenTags].sort((a, b) => a - b),
    },
  };
}

/** A tag index as Vidjil writes it: a number, or a number in a string ("3"). */
function tagIndex(value: unknown): number | null {
  const index = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof index === "number" && tagByIndex(index) !== null ? index : null;
}

function readClones(document: Json, known: ReadonlySet<string>) {
  const names = new Map<string, string>();
  const tags = new Map<string, number>();
  for (const item of Array.isArray(document.clones) ? document.clones : []) {
    if (!isObject(item) || typeof item.id !== "string" || !known.has(item.id)) continue;
    if (typeof item.name === "string") names.set(item.id, item.name);
    const tag = tagIndex(item.tag);
    if (tag !== null) tags.set(item.id, tag);
  }
  return { names, tags };
}

function readClusters(value: unknown, known: ReadonlySet<string>): string[][] {
  return (Array.isArray(value) ? value : [])
    .filter((cluster): cluster is unknown[] => Array.isArray(cluster))
    .map((cluster) => cluster.filter((id): id is string => typeof id === "string" && known.has(id)))
    .filter((cluster) => cluster.length > 1);
}

function readTags(value: unknown) {
  const tags = isObject(value) ? value : {};
  const tagNames = new Map<number, string>();
  for (const [key, name] of Object.entries(isObject(tags.names) ? tags.names : {})) {
    const index = tagIndex(key);
    if (index !== null && typeof name === "string" && name.trim() !== "") tagNames.set(index, name.trim());
  }
  const hidden = (Array.isArray(tags.hide) ? tags.hide : []).map(tagIndex);
  return { tagNames, hiddenTags: new Set(hidden.filter((index): index is number => index !== null)) };
}

/**
 * `samples.order` by position in the file that saved it, mapped to this result's samples through
 * their original names when the file lists them (a set gains samples between two saves). A
 * sample the file does not list was analysed after the save: it is shown, after the others (the
 * newest follow-up was left out of the graph); one the file lists but left out stays hidden.
 */
function readSampleOrder(value: unknown, result: VidjilResult): number[] | null {
  if (!isObject(value) || !Array.isArray(value.order)) return null;
  const saved = Array.isArray(value.id) ? value.id : value.original_names;
  const names = result.samples.map((sample) => sample.originalName);
  const toHere = (position: unknown): number | null => {
    if (typeof position !== "number" || !Number.isInteger(position)) return null;
    if (!Array.isArray(saved)) return position >= 0 && position < names.length ? position : null;
    const index = names.indexOf(String(saved[position]));
    return index >= 0 ? index : null;
  };
  const order = [...new Set(value.order.map(toHere).filter((index): index is number => index !== null))];
  if (order.length === 0) return null;
  const listed = Array.isArray(saved) ? saved.map(String) : null;
  const newer = listed === null ? [] : names.flatMap((name, index) => (listed.includes(name) ? [] : [index]));
  return [...order, ...newer];
}

/** Reads a `.analysis` file; clones it names that are not in the result are ignored. */
export function parseAnalysis(source: string, result: VidjilResult): Analysis {
  const raw: unknown = JSON.parse(source);
  if (!isObject(raw)) throw new Error("an .analysis file is a JSON object");
  const known = new Set(result.clones.map((clone) => clone.id));
  // Settings in the .analysis override the .vidjil's: its clusters replace the result's own,
  // and its clones' tags the result's (a tag the user removed stays removed).
  const clusters = Array.isArray(raw.clusters) ? readClusters(raw.clusters, known) : result.clusters;
  const clones = readClones(raw, known);
  return {
    ...emptyAnalysis(clusters),
    ...clones,
    tags: Array.isArray(raw.clones) ? clones.tags : fileTags(result.clones),
    ...readTags(raw.tags),
    sampleOrder: readSampleOrder(raw.samples, result),
  };
}
