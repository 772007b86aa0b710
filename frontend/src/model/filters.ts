/** Which entries the views show, and in what order. */
import { type Entry, fraction, productivity } from "./entries";
import { naturalCompare } from "./format";
import type { VidjilResult } from "./vidjil";

export interface Filters {
  /** Loci hidden by the user; every other locus is shown. */
  hiddenLoci: ReadonlySet<string>;
  /** Show entries ranked in the top N of at least one sample; 0 shows all. */
  topN: number;
  productiveOnly: boolean;
  search: string;
  /** When set, only these entries are shown (Vidjil's "focus", key z). */
  focus: ReadonlySet<string> | null;
  /** Entries the user hid (Vidjil's "hide", Shift+Z). */
  hidden: ReadonlySet<string>;
  /** With the hidden tags (the analysis's), "show only tag X": untagged clones hidden too. */
  hideUntagged: boolean;
}

export type SortKey = "size" | "name" | "locus" | "v" | "j" | "cdr3";

export interface Sort {
  key: SortKey;
  descending: boolean;
}

export const DEFAULT_FILTERS: Filters = {
  hiddenLoci: new Set(),
  topN: 50,
  productiveOnly: false,
  search: "",
  focus: null,
  hidden: new Set(),
  hideUntagged: false,
};

const DNA = /^[ACGTN]+$/;

/** Matches name, id, CDR3/junction amino acids, or the DNA sequence (either strand). */
export function matchesSearch(entry: Entry, query: string): boolean {
  const needle = query.trim().toUpperCase();
  if (needle === "") return true;
  const clone = entry.clone;
  const texts = [entry.name, clone.name, clone.id, clone.cdr3?.aa ?? "", clone.junction?.aa ?? ""];
  if (texts.some((value) => value.toUpperCase().includes(needle))) return true;
  if (!DNA.test(needle)) return false;
  return entry.members.some(
    (member) => member.sequence.includes(needle) || member.sequence.includes(reverseComplement(needle)),
  );
}

const COMPLEMENT: Record<string, string> = { A: "T", C: "G", G: "C", T: "A", N: "N" };

export function reverseComplement(dna: string): string {
  return [...dna]
    .reverse()
    .map((base) => COMPLEMENT[base] ?? "N")
    .join("");
}

/** Whether the entry's tag lets it be shown: hidden tags (saved in the analysis) and untagged. */
export function tagShown(entry: Entry, filters: Filters, hiddenTags: ReadonlySet<number>): boolean {
  return entry.tag === null ? !filters.hideUntagged : !hiddenTags.has(entry.tag);
}

/**
 * The entries every view shows. A tagged clone is shown whatever its rank (Vidjil's promise for
 * tagged clones): a spike or a followed clone must not vanish below the top N.
 */
export function visibleEntries(
  entries: readonly Entry[],
  filters: Filters,
  hiddenTags: ReadonlySet<number> = new Set(),
): Entry[] {
  return entries.filter(
    (entry) =>
      (filters.focus === null || filters.focus.has(entry.id)) &&
      !filters.hidden.has(entry.id) &&
      !filters.hiddenLoci.has(entry.clone.locus) &&
      (filters.topN === 0 || entry.rank <= filters.topN || entry.tag !== null) &&
      tagShown(entry, filters, hiddenTags) &&
      (!filters.productiveOnly || productivity(entry.clone) === "productive") &&
      matchesSearch(entry, filters.search),
  );
}

function sortText(entry: Entry, key: SortKey): string {
  const clone = entry.clone;
  if (key === "name") return entry.name;
  if (key === "locus") return clone.locus;
  if (key === "v") return clone.v?.name ?? "~";
  if (key === "j") return clone.j?.name ?? "~";
  return clone.cdr3?.aa ?? "~";
}

export function sortedEntries(
  entries: readonly Entry[],
  sort: Sort,
  result: VidjilResult,
  sample: number,
): Entry[] {
  const direction = sort.descending ? -1 : 1;
  const bySize = (a: Entry, b: Entry) => fraction(a, result, sample) - fraction(b, result, sample);
  const compare =
    sort.key === "size"
      ? bySize
      : (a: Entry, b: Entry) => naturalCompare(sortText(a, sort.key), sortText(b, sort.key)) || -bySize(a, b);
  return [...entries].sort((a, b) => direction * compare(a, b));
}
