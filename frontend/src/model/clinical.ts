/**
 * The clinical measures of a `.vidjil` file (docs/analysis.md): V identity (hypermutation status),
 * diversity per sample and locus, limits of detection, MRD detection and spike-in normalisation.
 * Read from the file's own keys; every value is absent (null) when the file does not give it.
 */

type Json = Record<string, unknown>;

/** ERIC's CLL cut-off: an IGHV identity of 98% or more is "unmutated". */
export const CLL_CUTOFF = 98;
/** Vidjil marks clones of fewer reads with "+": too few to be quantified reliably. */
export const FEW_READS = 5;

export type Detection = "detected" | "below_lod" | "not_detected" | "unknown";

export interface VIdentity {
  /** Identical nucleotides over compared ones, in percent. */
  percent: number;
  allele: string;
}

export interface CloneMeasures {
  vIdentity: VIdentity | null;
  /** Per sample, from the fuse: null when the file does not say. */
  detection: (Detection | null)[];
  /** Per sample: counted from the sample's window counts, under its config's thresholds. */
  belowThreshold: boolean[];
  /** Per sample: copies per cell of the amplified DNA (Vidjil's `normalized_reads`). */
  normalized: (number | null)[];
}

export interface Diversity {
  shannon: number | null;
  equitability: number | null;
  simpson: number | null;
  pielou: number | null;
  clones: number | null;
}

export interface LimitOfDetection {
  reads: number;
  /** Of the sample's segmented reads. */
  fraction: number;
  basis: string;
}

export interface SampleMeasures {
  diversity: Diversity | null;
  diversityPerLocus: Map<string, Diversity>;
  limitOfDetection: LimitOfDetection | null;
  /** Copies per read from the spike-ins (Vidjil's UNI coefficient), null when not normalised. */
  coefficient: number | null;
  spikeReads: number | null;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function finite(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function item(value: unknown, index: number): unknown {
  return Array.isArray(value) ? (value as unknown[])[index] : undefined;
}

const DETECTIONS: readonly string[] = ["detected", "below_lod", "not_detected", "unknown"];

export function cloneMeasures(raw: Json, sampleCount: number): CloneMeasures {
  const seg = isObject(raw.seg) ? raw.seg : {};
  const identity = isObject(seg.v_identity) ? seg.v_identity : null;
  const percent = finite(identity?.val);
  const samples = Array.from({ length: sampleCount }, (_, index) => index);
  return {
    vIdentity:
      identity && percent !== null
        ? { percent, allele: typeof identity.info === "string" ? identity.info : "" }
        : null,
    detection: samples.map((index) => {
      const value = item(raw._detection, index);
      return typeof value === "string" && DETECTIONS.includes(value) ? (value as Detection) : null;
    }),
    belowThreshold: samples.map((index) => item(raw._below_threshold, index) === true),
    normalized: samples.map((index) => finite(item(raw.normalized_reads, index))),
  };
}

/** The index at `index`: vidjil-algo writes one number for its one sample, we write lists. */
function index(block: Json, key: string, at: number): number | null {
  const value = block[key];
  return finite(Array.isArray(value) ? item(value, at) : at === 0 ? value : null);
}

function diversity(block: unknown, at: number): Diversity | null {
  if (!isObject(block)) return null;
  const found = {
    shannon: index(block, "index_H_entropy", at),
    equitability: index(block, "index_E_equitability", at),
    simpson: index(block, "index_Ds_diversity", at),
    pielou: index(block, "_index_J_pielou", at),
    clones: index(block, "_clones", at),
  };
  return Object.values(found).every((value) => value === null) ? null : found;
}

function limitOfDetection(value: unknown): LimitOfDetection | null {
  if (!isObject(value)) return null;
  const reads = finite(value.reads);
  const fraction = finite(value.fraction);
  if (reads === null || fraction === null) return null;
  return { reads, fraction, basis: typeof value.basis === "string" ? value.basis : "" };
}

export function sampleMeasures(top: Json, sampleCount: number): SampleMeasures[] {
  const samples = isObject(top.samples) ? top.samples : {};
  const mrd = isObject(top.mrd) ? top.mrd : {};
  const perLocus =
    isObject(top.diversity) && isObject(top.diversity._per_locus) ? top.diversity._per_locus : {};
  return Array.from({ length: sampleCount }, (_, at) => {
    const loci = new Map<string, Diversity>();
    for (const [locus, block] of Object.entries(perLocus)) {
      const found = diversity(block, at);
      if (found) loci.set(locus, found);
    }
    return {
      diversity: diversity(top.diversity, at),
      diversityPerLocus: loci,
      limitOfDetection: limitOfDetection(item(samples._limit_of_detection, at)),
      coefficient: finite(item(mrd.UNI_COEFF, at)),
      spikeReads: finite(item(mrd._spike_reads, at)),
    };
  });
}

/** "mutated" / "unmutated" for IGH clones (CLL wording), "" elsewhere. */
export function mutationStatus(locus: string, identity: VIdentity | null): string {
  if (identity === null || !locus.startsWith("IGH")) return "";
  return identity.percent >= CLL_CUTOFF ? "unmutated" : "mutated";
}

/** How a report words the IGHV status, under a table giving it for IGH clones. */
export const CLL_WORDING = `IGHV mutation status (CLL, ERIC): mutated under ${CLL_CUTOFF}% identity to the closest germline V allele, unmutated at ${CLL_CUTOFF}% or more.`;

/** A report's cell: "97.1% mutated" for IGH clones, "95.0%" for the others, "" when unknown. */
export function identityWithStatus(locus: string, identity: VIdentity | null): string {
  const status = mutationStatus(locus, identity);
  return [formatIdentity(identity), status].filter(Boolean).join(" ");
}

export function formatIdentity(identity: VIdentity | null): string {
  return identity === null ? "" : `${identity.percent.toFixed(1)}%`;
}

/**
 * What a sample's limit of detection is in reads, and why: "4.2 reads, one cell of the
 * amplified DNA", or "3 reads, the fewest counted: one cell of the amplified DNA is fewer".
 */
export function limitReadsText(limit: LimitOfDetection): string {
  const reads = Number.isInteger(limit.reads) ? String(limit.reads) : limit.reads.toFixed(1);
  const why =
    limit.basis === "one cell"
      ? "one cell of the amplified DNA"
      : limit.basis.endsWith(" reads")
        ? "the fewest counted: one cell of the amplified DNA is fewer"
        : limit.basis;
  return why ? `${reads} reads, ${why}` : `${reads} reads`;
}

/** Detection as a lab reads it, with the clone's reads in that sample. */
export function detectionText(detection: Detection | null, reads: number): string {
  const counted = `${reads} read${reads === 1 ? "" : "s"}`;
  switch (detection) {
    case "detected":
      return `detected (${counted})`;
    case "below_lod":
      return `detected below the limit of detection (${counted})`;
    case "not_detected":
      return "not detected (0 reads)";
    case "unknown":
      return "unknown (no window counts)";
    default:
      return "";
  }
}

/** A normalised value (copies per cell) as a percentage of cells, "" when not normalised. */
export function formatNormalized(value: number | null): string {
  if (value === null) return "";
  if (value <= 0) return "0 cells";
  const percent = value * 100;
  return `${percent >= 1 ? percent.toFixed(2) : percent.toPrecision(2)}% of cells`;
}
