/**
 * The `.vidjil` file as written by the analysis (format "2016b", accepted from "2014.09"),
 * read into typed clones. Positions in `seg` are 1-based inclusive in the file; inside the
 * client every interval is 0-based half-open.
 */

import { type CloneMeasures, cloneMeasures, type SampleMeasures, sampleMeasures } from "./clinical";
import { pairMerging, type PairMerging } from "./read-stats";
import { tagByIndex } from "./tags";

export interface Interval {
  start: number;
  end: number;
}

export interface GeneSegment extends Interval {
  name: string;
  deletedLeft: number;
  deletedRight: number;
}

export interface Junction extends Interval {
  aa: string;
  productive: boolean | null;
  unproductiveCause: string;
}

export interface CloneWarning {
  code: string;
  level: string;
  message: string;
}

export interface Clone {
  id: string;
  /** Name from the file, or built from the V(D)J designation. */
  name: string;
  locus: string;
  top: number;
  sequence: string;
  /** One count per sample; 0 means absent from that sample. */
  reads: number[];
  v: GeneSegment | null;
  d: GeneSegment | null;
  j: GeneSegment | null;
  junction: Junction | null;
  cdr3: (Interval & { aa: string }) | null;
  warnings: CloneWarning[];
  evalue: string;
  /** Mean read length per sample (`_average_read_length`), 0 when unknown. */
  averageReadLength: number[];
  /** Consensus length over read length, when the file gives it (`_coverage`). */
  coverage: number | null;
  /** Genes as likely as the designated V or J (from W69 warnings). */
  equalGenes: string[];
  /** V identity, MRD detection and normalisation (`clinical.ts`), when the file gives them. */
  measures?: CloneMeasures;
  /** The tag the file gives the clone (a Vidjil user's, as its client shows it), by index. */
  tag?: number;
}

export interface Sample {
  name: string;
  originalName: string;
  timestamp: string;
  producer: string;
  commandLine: string;
  log: string;
  totalReads: number | null;
  segmentedReads: number;
  /** Paired-end samples: how their read pairs were merged (`samples._merging`). */
  merging?: PairMerging | null;
}

export interface VidjilResult {
  version: string;
  producer: string;
  timestamp: string;
  samples: Sample[];
  /** Segmented reads per locus and sample, for "% in locus" and read statistics. */
  lociReads: Map<string, number[]>;
  clones: Clone[];
  /** Clusters saved by the analysis itself; the user's merges go in the analysis layer. */
  clusters: string[][];
  /** Per sample: diversity, limit of detection, normalisation (`clinical.ts`). */
  measures?: SampleMeasures[];
}

export class VidjilFormatError extends Error {
  override name = "VidjilFormatError";
}

const OLDEST_VERSION = "2014.09";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asObject(value: unknown, what: string): Json {
  if (!isObject(value)) throw new VidjilFormatError(`${what} must be an object`);
  return value;
}

function numbers(value: unknown, what: string): number[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== "number")) {
    throw new VidjilFormatError(`${what} must be a list of numbers`);
  }
  return value as number[];
}

function strings(value: unknown, count: number, fallback: (index: number) => string): string[] {
  const list = Array.isArray(value) ? value : [];
  return Array.from({ length: count }, (_, index) => {
    const item: unknown = list[index];
    return typeof item === "string" ? item : fallback(index);
  });
}

function text(value: unknown, fallback = ""): string {
  return typeof value === "string" ? value : fallback;
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** 1-based inclusive `start`/`stop` from the file to 0-based half-open. */
function interval(feature: Json): Interval | null {
  if (typeof feature.start !== "number" || typeof feature.stop !== "number") return null;
  return { start: feature.start - 1, end: feature.stop };
}

function geneSegment(value: unknown): GeneSegment | null {
  if (!isObject(value) || typeof value.name !== "string") return null;
  const where = interval(value) ?? { start: 0, end: 0 };
  return {
    ...where,
    name: value.name,
    deletedLeft: count(value.delLeft),
    deletedRight: count(value.delRight),
  };
}

function junction(value: unknown): Junction | null {
  if (!isObject(value)) return null;
  const where = interval(value);
  if (where === null) return null;
  return {
    ...where,
    aa: text(value.aa),
    productive: typeof value.productive === "boolean" ? value.productive : null,
    unproductiveCause: text(value.unproductive),
  };
}

function cdr3(value: unknown): (Interval & { aa: string }) | null {
  if (!isObject(value)) return null;
  const where = interval(value);
  return where === null ? null : { ...where, aa: text(value.aa) };
}

function warnings(value: unknown): CloneWarning[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((warning) => ({
    code: text(warning.code, "W??"),
    level: text(warning.level, "warn"),
    message: text(warning.msg),
  }));
}

function designationName(v: GeneSegment | null, d: GeneSegment | null, j: GeneSegment | null) {
  const genes = [v, d, j].filter((gene): gene is GeneSegment => gene !== null);
  return genes.length === 0 ? "" : genes.map((gene) => gene.name).join(" ");
}

function evalue(seg: Json): string {
  const value = seg.evalue;
  if (isObject(value) && (typeof value.val === "string" || typeof value.val === "number")) {
    return String(value.val);
  }
  return "";
}

/** The genes a W69 warning lists ("Several genes with equal probability: A, B"). */
function equalGenes(warningList: CloneWarning[], designated: (GeneSegment | null)[]): string[] {
  const own = new Set(designated.map((gene) => gene?.name));
  const listed = warningList
    .filter((warning) => warning.code === "W69")
    .flatMap((warning) => (warning.message.split(":")[1] ?? "").split(","))
    .map((name) => name.trim())
    .filter((name) => name !== "" && !own.has(name));
  return [...new Set(listed)];
}

function perSample(value: unknown, sampleCount: number): number[] {
  const list = Array.isArray(value) ? value : [];
  return Array.from({ length: sampleCount }, (_, i) => count(list[i]));
}

/** `_coverage` is one number, or one per sample (vidjil-algo writes a list of one). */
function coverage(value: unknown): number | null {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === "number" && Number.isFinite(first) && first > 0 ? first : null;
}

const NUCLEOTIDES = /^[ACGTUNRYSWKMBDHV]+$/i;

/**
 * A clone's sequence. Vidjil writes `"sequence": 0` (or nothing) for a clone it gave no
 * representative sequence (spike-ins, some of its own test files), and its client opens them: such
 * a clone shows its window, its id, when that is a sequence; otherwise none.
 */
function cloneSequence(value: unknown, id: string): string {
  if (typeof value === "string" && value !== "") return value.toUpperCase();
  if (value !== undefined && value !== null && value !== 0 && value !== "") {
    throw new VidjilFormatError(`clone ${id}: its sequence is not text`);
  }
  return NUCLEOTIDES.test(id) ? id.toUpperCase() : "";
}

function parseClone(value: unknown, index: number, sampleCount: number): Clone {
  const raw = asObject(value, `clone ${index + 1}`);
  const id = raw.id;
  if (typeof id !== "string" || id === "") {
    throw new VidjilFormatError(`clone ${index + 1} has no id`);
  }
  if (typeof raw.germline !== "string") throw new VidjilFormatError(`clone ${id} has no germline`);
  // Vidjil's client reads a missing count as 0 reads (its own test files have clones with one
  // count in results of two samples): so do we, and counts beyond the samples belong to none.
  const counted = numbers(raw.reads, `clone ${id} reads`);
  const reads = Array.from({ length: sampleCount }, (_, sample) => counted[sample] ?? 0);
  const seg = isObject(raw.seg) ? raw.seg : {};
  const v = geneSegment(seg["5"]);
  const d = geneSegment(seg["4"]);
  const j = geneSegment(seg["3"]);
  const cloneWarnings = warnings(raw.warn);
  return {
    id,
    name: text(raw.name) || designationName(v, d, j) || id,
    locus: raw.germline,
    top: typeof raw.top === "number" ? raw.top : index + 1,
    sequence: cloneSequence(raw.sequence, id),
    reads,
    v,
    d,
    j,
    junction: junction(seg.junction),
    cdr3: cdr3(seg.cdr3),
    warnings: cloneWarnings,
    evalue: evalue(seg),
    averageReadLength: perSample(raw._average_read_length, sampleCount),
    coverage: coverage(raw._coverage),
    equalGenes: equalGenes(cloneWarnings, [v, j]),
    measures: cloneMeasures(raw, sampleCount),
    ...cloneTag(raw.tag),
  };
}

/** A tag index as Vidjil writes it in a clone: a number, or a number in a string ("3"). */
function cloneTag(value: unknown): { tag?: number } {
  const index = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof index === "number" && tagByIndex(index) !== null ? { tag: index } : {};
}

function parseSamples(raw: Json, reads: Json): Sample[] {
  const samples = asObject(raw.samples, "samples");
  const originalNames = samples.original_names;
  if (!Array.isArray(originalNames)) throw new VidjilFormatError("samples.original_names is missing");
  const sampleCount = typeof samples.number === "number" ? samples.number : originalNames.length;
  const original = strings(originalNames, sampleCount, (i) => `sample ${i + 1}`);
  const names = strings(samples.names, sampleCount, (i) => original[i] ?? "");
  const segmented = numbers(reads.segmented, "reads.segmented");
  const total = Array.isArray(reads.total) ? numbers(reads.total, "reads.total") : [];
  if (segmented.length !== sampleCount) {
    throw new VidjilFormatError(`reads.segmented has ${segmented.length} values for ${sampleCount} samples`);
  }
  const timestamps = strings(samples.timestamp, sampleCount, () => "");
  const producers = strings(samples.producer, sampleCount, () => "");
  const commandLines = strings(samples.commandline, sampleCount, () => "");
  const logs = strings(samples.log, sampleCount, () => "");
  const merging = Array.isArray(samples._merging) ? samples._merging : [];
  return original.map((originalName, i) => ({
    name: names[i] || originalName,
    originalName,
    timestamp: timestamps[i] ?? "",
    producer: producers[i] ?? "",
    commandLine: commandLines[i] ?? "",
    log: logs[i] ?? "",
    totalReads: total[i] ?? null,
    segmentedReads: segmented[i] ?? 0,
    merging: pairMerging(merging[i]),
  }));
}

function parseLoci(reads: Json, sampleCount: number): Map<string, number[]> {
  const germline = asObject(reads.germline ?? {}, "reads.germline");
  const loci = new Map<string, number[]>();
  for (const [locus, values] of Object.entries(germline)) {
    const perSample = numbers(values, `reads.germline.${locus}`);
    loci.set(
      locus,
      Array.from({ length: sampleCount }, (_, i) => perSample[i] ?? 0),
    );
  }
  return loci;
}

function parseClusters(value: unknown): string[][] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (cluster): cluster is string[] => Array.isArray(cluster) && cluster.every((id) => typeof id === "string"),
  );
}

/** Parses the text of a `.vidjil` file; throws VidjilFormatError with a readable reason. */
/**
 * Every view, selection and `.analysis` names clones by id. Vidjil's client names them by their
 * place in the file, and its own spike-in example holds two clones of one window: the second
 * and later ones of an id become "id (2)", "id (3)".
 */
function uniqueIds(clones: Clone[]): Clone[] {
  const seen = new Map<string, number>();
  return clones.map((clone) => {
    const count = (seen.get(clone.id) ?? 0) + 1;
    seen.set(clone.id, count);
    return count === 1 ? clone : { ...clone, id: `${clone.id} (${count})` };
  });
}

export function parseVidjil(source: string): VidjilResult {
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch (error) {
    // An AIRR or MiXCR table (tab-separated, a header first) is a result too, but one the lab
    // imports on a set page: say so rather than quote the JSON parser.
    const firstLine = source.split("\n", 1)[0] ?? "";
    if (!source.trimStart().startsWith("{") && firstLine.includes("\t"))
      throw new VidjilFormatError(
        "this is a table (AIRR or MiXCR), not a .vidjil file: upload it to a patient, run or set and launch the import config",
      );
    throw new VidjilFormatError(`not a JSON file (${(error as Error).message})`);
  }
  const top = asObject(raw, "the file");
  const version = top.vidjil_json_version;
  if (typeof version !== "string") throw new VidjilFormatError("vidjil_json_version is missing");
  if (version < OLDEST_VERSION) {
    throw new VidjilFormatError(`format ${version} is older than ${OLDEST_VERSION}`);
  }
  const reads = asObject(top.reads, "reads");
  const samples = parseSamples(top, reads);
  const clones = Array.isArray(top.clones) ? top.clones : [];
  return {
    version,
    producer: text(top.producer),
    timestamp: text(top.timestamp),
    samples,
    lociReads: parseLoci(reads, samples.length),
    clones: uniqueIds(clones.map((clone, index) => parseClone(clone, index, samples.length))),
    clusters: parseClusters(top.clusters),
    measures: sampleMeasures(top, samples.length),
  };
}

/**
 * The clone's coverage: its sequence's length over the mean length of its reads (vidjil-algo's
 * `_coverage` when the file gives it). Near 1 is usual; below 0.5 the reads disagree outside the
 * window (chimeric reads, for instance).
 */
export function coverageOf(clone: Clone, sample: number): number | null {
  if (clone.coverage !== null) return clone.coverage;
  const reads = clone.averageReadLength;
  const length = reads[sample] || Math.max(0, ...reads);
  return length > 0 ? Math.round((100 * clone.sequence.length) / length) / 100 : null;
}
