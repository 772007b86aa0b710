/** Axes the grid can plot, after Vidjil's AXIS_SCATTERPLOT: each maps an entry to a value. */
import { type Entry, fraction, fractionInLocus, geneName, productivityLabel } from "./entries";
import { scaleLinear } from "d3-scale";
import { naturalCompare } from "./format";
import { tagName } from "./tags";
import { coverageOf, type VidjilResult } from "./vidjil";

export interface AxisContext {
  result: VidjilResult;
  sample: number;
  /** The analysis's own tag names. */
  tagNames?: ReadonlyMap<number, string>;
}

interface CategoryAxis {
  id: string;
  label: string;
  kind: "category";
  value: (entry: Entry, context: AxisContext) => string;
}

export interface NumberAxis {
  id: string;
  label: string;
  /** "log" axes plot fractions of reads. */
  kind: "number" | "log";
  value: (entry: Entry, context: AxisContext) => number | null;
  /** The highest value the measure can take (100 for a percentage): the axis stops there. */
  max?: number;
}

export type Axis = CategoryAxis | NumberAxis;

const UNKNOWN = "?";

function length(interval: { start: number; end: number } | null): number | null {
  return interval === null ? null : interval.end - interval.start;
}

/** Nucleotides between the end of V and the start of J, D included. */
function betweenVJ(entry: Entry): number | null {
  const { v, j } = entry.clone;
  if (v === null || j === null) return null;
  return Math.max(0, j.start - v.end);
}

function gcPercent(sequence: string): number | null {
  if (sequence.length === 0) return null;
  const gc = [...sequence].filter((base) => base === "G" || base === "C").length;
  return Math.round((100 * gc) / sequence.length);
}

export const AXES: readonly Axis[] = [
  { id: "v", label: "V gene", kind: "category", value: (e) => geneName(e.clone.v?.name) },
  { id: "j", label: "J gene", kind: "category", value: (e) => geneName(e.clone.j?.name) },
  { id: "d", label: "D gene", kind: "category", value: (e) => geneName(e.clone.d?.name) },
  { id: "v-allele", label: "V allele", kind: "category", value: (e) => e.clone.v?.name ?? UNKNOWN },
  { id: "j-allele", label: "J allele", kind: "category", value: (e) => e.clone.j?.name ?? UNKNOWN },
  { id: "locus", label: "Locus", kind: "category", value: (e) => e.clone.locus },
  {
    id: "productivity",
    label: "Productivity",
    kind: "category",
    value: (e) => productivityLabel(e.clone),
  },
  {
    id: "tag",
    label: "Tag",
    kind: "category",
    value: (e, c) => (e.tag === null ? "no tag" : tagName(e.tag, c.tagNames ?? new Map())),
  },
  {
    id: "size",
    label: "Size (% of reads)",
    kind: "log",
    value: (e, c) => fraction(e, c.result, c.sample) || null,
  },
  {
    id: "size-locus",
    label: "Size in its locus (%)",
    kind: "log",
    value: (e, c) => fractionInLocus(e, c.result, c.sample) || null,
  },
  {
    // Vidjil's "compare two samples" preset: current sample on one axis, the next on the other.
    id: "size-next",
    label: "Size in next sample (%)",
    kind: "log",
    value: (e, c) => fraction(e, c.result, (c.sample + 1) % c.result.samples.length) || null,
  },
  {
    id: "cdr3-length",
    label: "CDR3 length (nt)",
    kind: "number",
    value: (e) => length(e.clone.cdr3),
  },
  { id: "n-length", label: "N + D length (nt)", kind: "number", value: betweenVJ },
  {
    id: "gc-content",
    label: "GC content (%)",
    kind: "number",
    value: (e) => gcPercent(e.clone.sequence),
    max: 100,
  },
  {
    id: "samples-present",
    label: "Number of samples",
    kind: "number",
    value: (e) => e.reads.filter((reads) => reads > 0).length,
  },
  {
    id: "sequence-length",
    label: "Sequence length (nt)",
    kind: "number",
    value: (e) => e.clone.sequence.length,
  },
  {
    // Vidjil's "clone average read length": the Genescan-like view of presets 4 and 5.
    id: "read-length",
    label: "Read length (nt, mean)",
    kind: "number",
    value: (e, c) => e.clone.averageReadLength[c.sample] || null,
  },
  {
    id: "coverage",
    label: "Coverage (sequence / read length)",
    kind: "number",
    value: (e, c) => coverageOf(e.clone, c.sample),
  },
  {
    // Hypermutation: with IGH clones the grid marks the CLL cut-off (98%).
    id: "v-identity",
    label: "V identity (%)",
    kind: "number",
    value: (e) => e.clone.measures?.vIdentity?.percent ?? null,
    max: 100,
  },
  {
    id: "v-deletion",
    label: "V 3′ deletion (nt)",
    kind: "number",
    value: (e) => (e.clone.v ? e.clone.v.deletedRight : null),
  },
  {
    id: "j-deletion",
    label: "J 5′ deletion (nt)",
    kind: "number",
    value: (e) => (e.clone.j ? e.clone.j.deletedLeft : null),
  },
];

export function axisById(id: string): Axis {
  return AXES.find((axis) => axis.id === id) ?? (AXES[0] as Axis);
}

/**
 * The range of a linear axis: the values with 2 units to spare on each side, rounded to ticks
 * (d3's `nice`), never below 0 nor above the measure's own maximum: a V identity of 100% must not
 * show a 102% tick.
 */
export function numberDomain(axis: NumberAxis, values: readonly number[]): [number, number] {
  const high = Math.max(...values, 1);
  const low = Math.min(...values, high);
  const [from, to] = scaleLinear()
    .domain([Math.max(0, low - 2), high + 2])
    .nice()
    .domain() as [number, number];
  const top = axis.max === undefined ? to : Math.min(to, axis.max);
  return [Math.max(0, Math.min(from, top - 1)), top];
}

/** Category values in display order: natural sort, unknown last. */
export function categories(axis: CategoryAxis, entries: readonly Entry[], context: AxisContext): string[] {
  const values = [...new Set(entries.map((entry) => axis.value(entry, context)))];
  return values.sort((a, b) => {
    if (a === UNKNOWN || b === UNKNOWN) return a === UNKNOWN ? 1 : -1;
    return naturalCompare(a, b);
  });
}
