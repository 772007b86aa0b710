/**
 * "Colour by", as Vidjil's colour menu: every view paints an entry with the colour its scale
 * gives, and the legend says what the colours mean. Categories (genes, loci, samples) get distinct
 * colours in a stable order (the same gene keeps its colour when filters change); numbers go from
 * blue through green to red (Vidjil's scale), small to large.
 */
import { interpolateRgb, piecewise } from "d3-interpolate";
import { type Entry, fraction, geneName, productivity } from "./entries";
import { naturalCompare } from "./format";
import { OTHER_COLOUR, rankColour, tagByIndex, tagName } from "./tags";
import type { Clone, VidjilResult } from "./vidjil";

export type ColourBy =
  | "tag"
  | "rank"
  | "v"
  | "d"
  | "j"
  | "locus"
  | "productivity"
  | "cdr3-length"
  | "cdr3"
  | "n-length"
  | "gc-content"
  | "samples"
  | "main-sample"
  | "abundance";

export const COLOUR_BY: readonly { id: ColourBy; label: string }[] = [
  { id: "tag", label: "Tag" },
  { id: "rank", label: "Clone (rank)" },
  { id: "v", label: "V gene" },
  { id: "d", label: "D gene" },
  { id: "j", label: "J gene" },
  { id: "locus", label: "Locus" },
  { id: "productivity", label: "Productivity" },
  { id: "cdr3-length", label: "CDR3 length" },
  { id: "cdr3", label: "CDR3" },
  { id: "n-length", label: "N + D length" },
  { id: "gc-content", label: "GC content" },
  { id: "samples", label: "Number of samples" },
  { id: "main-sample", label: "Sample (where largest)" },
  { id: "abundance", label: "Abundance" },
];

export interface LegendItem {
  label: string;
  colour: string;
  /** Shown entries with this colour (categories only). */
  count?: number;
}

export interface ColourScale {
  colour: (entry: Entry) => string;
  kind: "category" | "gradient";
  /** Categories with their counts, or the gradient's two ends (low first). */
  legend: LegendItem[];
}

export interface ColourContext {
  result: VidjilResult;
  sample: number;
  tagNames: ReadonlyMap<number, string>;
}

const PALETTE = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#ff7f0e",
  "#9467bd",
  "#17becf",
  "#8c564b",
  "#e377c2",
  "#bcbd22",
  "#393b79",
  "#637939",
  "#843c39",
];

/** The n-th distinct colour: the palette, then hues spread by the golden angle. */
export function categoryColour(index: number): string {
  const fixed = PALETTE[index];
  if (fixed !== undefined) return fixed;
  const hue = Math.round((index * 137.508) % 360);
  return `hsl(${hue}, ${55 + (index % 3) * 12}%, ${38 + (index % 2) * 12}%)`;
}

/** Loci keep one colour in every result, as in Vidjil. */
const LOCUS_COLOURS: Record<string, string> = {
  IGH: "#1f77b4",
  "IGH+": "#6baed6",
  IGK: "#2ca02c",
  "IGK+": "#98df8a",
  IGL: "#9467bd",
  TRA: "#ff7f0e",
  "TRA+D": "#ffbb78",
  TRB: "#d62728",
  "TRB+": "#ff9896",
  TRG: "#17becf",
  TRD: "#8c564b",
  "TRD+": "#c49c94",
};

export const GRADIENT_ENDS = ["#00aaff", "#00ee00", "#ff0000"] as const;
const gradient = piecewise(interpolateRgb.gamma(2.2), [...GRADIENT_ENDS]);

const UNKNOWN = "?";

type CategoryOf = (entry: Entry) => string;
type NumberOf = (entry: Entry) => number | null;

function nLength(entry: Entry): number | null {
  const { v, j } = entry.clone;
  return v === null || j === null ? null : Math.max(0, j.start - v.end);
}

function gcContent(entry: Entry): number | null {
  const sequence = entry.clone.sequence;
  if (sequence.length === 0) return null;
  let gc = 0;
  for (const base of sequence) if (base === "G" || base === "C") gc++;
  return Math.round((100 * gc) / sequence.length);
}

/** The sample where the entry has its largest share of reads. */
function mainSample(entry: Entry, result: VidjilResult): number {
  let best = 0;
  for (let sample = 1; sample < result.samples.length; sample++) {
    if (fraction(entry, result, sample) > fraction(entry, result, best)) best = sample;
  }
  return best;
}

/**
 * Categories that are the clone's own, kept per clone: colouring reads one for each of 10,000
 * entries, and reading the designations of 10,000 clones spread over a large heap is slow.
 */
const ownCategories = new Map<ColourBy, WeakMap<Clone, string>>();

function ofClone(by: ColourBy, category: (clone: Clone) => string): CategoryOf {
  let known = ownCategories.get(by);
  if (known === undefined) ownCategories.set(by, (known = new WeakMap()));
  const cache = known;
  return (entry) => {
    let value = cache.get(entry.clone);
    if (value === undefined) {
      value = category(entry.clone);
      cache.set(entry.clone, value);
    }
    return value;
  };
}

function categoryOf(by: ColourBy, context: ColourContext): CategoryOf | null {
  const { result } = context;
  if (by === "main-sample") return (entry) => result.samples[mainSample(entry, result)]?.name ?? UNKNOWN;
  const categories: Partial<Record<ColourBy, (clone: Clone) => string>> = {
    v: (clone) => geneName(clone.v?.name),
    d: (clone) => geneName(clone.d?.name),
    j: (clone) => geneName(clone.j?.name),
    locus: (clone) => clone.locus,
    cdr3: (clone) => clone.cdr3?.aa || clone.junction?.aa || UNKNOWN,
    productivity: (clone) => productivity(clone),
  };
  const category = categories[by];
  return category === undefined ? null : ofClone(by, category);
}

function numberOf(by: ColourBy, context: ColourContext): NumberOf | null {
  const { result, sample } = context;
  const numbers: Partial<Record<ColourBy, NumberOf>> = {
    "cdr3-length": (entry) => (entry.clone.cdr3 ? entry.clone.cdr3.end - entry.clone.cdr3.start : null),
    "n-length": nLength,
    "gc-content": gcContent,
    samples: (entry) => entry.reads.filter((reads) => reads > 0).length,
    // Log of the share: MRD levels span five orders of magnitude.
    abundance: (entry) => {
      const share = fraction(entry, result, sample);
      return share > 0 ? Math.log10(share) : null;
    },
  };
  return numbers[by] ?? null;
}

const PRODUCTIVITY_COLOURS: Record<string, string> = {
  productive: "#2aa198",
  unproductive: "#d33682",
  unknown: OTHER_COLOUR,
};

/** The scale for `by`, its categories and range taken from all the entries (stable under filters);
 * the legend counts the shown ones. */
export function colourScale(
  by: ColourBy,
  entries: readonly Entry[],
  shown: readonly Entry[],
  context: ColourContext,
): ColourScale {
  const category = categoryOf(by, context);
  if (category !== null) return categoryScale(by, category, entries, shown, context);
  const value = numberOf(by, context);
  if (value !== null) return gradientScale(by, value, entries);
  return by === "rank" ? rankScale(shown) : tagScale(shown, context);
}

function fixedColour(by: ColourBy, value: string): string | undefined {
  if (value === UNKNOWN) return OTHER_COLOUR;
  if (by === "locus") return LOCUS_COLOURS[value];
  if (by === "productivity") return PRODUCTIVITY_COLOURS[value];
  return undefined;
}

function categoryScale(
  by: ColourBy,
  category: CategoryOf,
  entries: readonly Entry[],
  shown: readonly Entry[],
  context: ColourContext,
): ColourScale {
  const values =
    by === "main-sample"
      ? context.result.samples.map((sample) => sample.name)
      : [...new Set(entries.map(category))].sort(naturalCompare);
  const colours = new Map<string, string>();
  let next = 0;
  for (const value of values) colours.set(value, fixedColour(by, value) ?? categoryColour(next++));
  const counts = new Map<string, number>();
  for (const entry of shown) {
    const value = category(entry);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const legend = [...counts]
    .sort((a, b) => b[1] - a[1] || naturalCompare(a[0], b[0]))
    .map(([label, count]) => ({ label, count, colour: colours.get(label) ?? OTHER_COLOUR }));
  return { kind: "category", legend, colour: (entry) => colours.get(category(entry)) ?? OTHER_COLOUR };
}

function gradientScale(by: ColourBy, value: NumberOf, entries: readonly Entry[]): ColourScale {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const entry of entries) {
    const number = value(entry);
    if (number === null) continue;
    low = Math.min(low, number);
    high = Math.max(high, number);
  }
  const span = high - low;
  const colour = (entry: Entry) => {
    const number = value(entry);
    if (number === null || !Number.isFinite(low)) return OTHER_COLOUR;
    return gradient(span > 0 ? (number - low) / span : 0.5);
  };
  const text = (number: number) =>
    by === "abundance" ? `${Number((100 * 10 ** number).toPrecision(2))}%` : `${number}`;
  const legend = Number.isFinite(low)
    ? [
        { label: text(low), colour: gradient(0) },
        { label: text(high), colour: gradient(1) },
      ]
    : [];
  return { kind: "gradient", legend, colour };
}

function rankColourOf(entry: Entry): string {
  return Number.isFinite(entry.colourIndex) ? rankColour(entry.colourIndex) : OTHER_COLOUR;
}

function rankScale(shown: readonly Entry[]): ColourScale {
  const legend = [...shown]
    .filter((entry) => Number.isFinite(entry.colourIndex) && entry.colourIndex <= 10)
    .sort((a, b) => a.colourIndex - b.colourIndex)
    .map((entry) => ({ label: entry.name, colour: rankColourOf(entry) }));
  return {
    kind: "category",
    legend: [...legend, { label: "other clones", colour: OTHER_COLOUR }],
    colour: rankColourOf,
  };
}

/** Tagged clones in their tag's colour everywhere; the others keep their rank colours. */
function tagScale(shown: readonly Entry[], context: ColourContext): ColourScale {
  const counts = new Map<number, number>();
  for (const entry of shown) if (entry.tag !== null) counts.set(entry.tag, (counts.get(entry.tag) ?? 0) + 1);
  const legend = [...counts]
    .sort((a, b) => a[0] - b[0])
    .map(([tag, count]) => ({
      label: tagName(tag, context.tagNames),
      count,
      colour: tagByIndex(tag)?.colour ?? OTHER_COLOUR,
    }));
  legend.push({
    label: "untagged: by rank",
    colour: rankColour(1),
    count: shown.length - legend.reduce((s, i) => s + (i.count ?? 0), 0),
  });
  return {
    kind: "category",
    legend,
    colour: (entry) => tagByIndex(entry.tag)?.colour ?? rankColourOf(entry),
  };
}

export function isColourBy(value: unknown): value is ColourBy {
  return COLOUR_BY.some((option) => option.id === value);
}
