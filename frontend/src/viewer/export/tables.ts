/**
 * Text exports of clones: CSV of the visible list, FASTA and AIRR TSV of the selection.
 * AIRR rows use 1-based closed coordinates (the client keeps 0-based half-open inside).
 */
import { type Entry, fraction, productivity, productivityLabel } from "../../model/entries";
import { tagName } from "../../model/tags";
import { unsegmentedReasons } from "../../model/read-stats";
import type { Clone, Interval, VidjilResult } from "../../model/vidjil";

/** Text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading quote:
 * clone and sample names come from users and from result files made elsewhere. */
function spreadsheetText(text: string): string {
  const formula = /^[=+\-@\t\r]/.test(text) && !Number.isFinite(Number(text));
  return formula ? `'${text}` : text;
}

export function csvCell(value: string | number): string {
  const text = typeof value === "number" ? String(value) : spreadsheetText(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function warningsText(entry: Entry): string {
  return entry.members.flatMap((member) => member.warnings.map((warning) => warning.code)).join(" ");
}

export function clonesCsv(
  entries: readonly Entry[],
  result: VidjilResult,
  tagNames: ReadonlyMap<number, string> = new Map(),
): string {
  const header = [
    "rank",
    "name",
    "clone_id",
    "locus",
    "v",
    "d",
    "j",
    "cdr3_aa",
    "junction_aa",
    "productivity",
    "tag",
    "warnings",
  ];
  for (const sample of result.samples) header.push(`reads ${sample.name}`, `percent ${sample.name}`);
  const lines = [header.map(csvCell).join(",")];
  for (const entry of entries) {
    const clone = entry.clone;
    const cells: (string | number)[] = [
      Number.isFinite(entry.rank) ? entry.rank : "",
      entry.name,
      clone.id,
      clone.locus,
      clone.v?.name ?? "",
      clone.d?.name ?? "",
      clone.j?.name ?? "",
      clone.cdr3?.aa ?? "",
      clone.junction?.aa ?? "",
      productivityLabel(clone),
      entry.tag === null ? "" : tagName(entry.tag, tagNames),
      warningsText(entry),
    ];
    result.samples.forEach((_, index) => {
      cells.push(entry.reads[index] ?? 0, (fraction(entry, result, index) * 100).toPrecision(4));
    });
    lines.push(cells.map(csvCell).join(","));
  }
  return `${lines.join("\n")}\n`;
}

export function clonesFasta(entries: readonly Entry[], result: VidjilResult, sample: number): string {
  return entries
    .map((entry) => {
      const share = (fraction(entry, result, sample) * 100).toPrecision(3);
      const header = `>${entry.name} | ${entry.clone.id} | ${entry.clone.locus} | ${share}% in ${result.samples[sample]?.name ?? ""}`;
      const lines = entry.clone.sequence.match(/.{1,60}/g) ?? [];
      return [header, ...lines].join("\n");
    })
    .join("\n")
    .concat("\n");
}

const AIRR_FIELDS = [
  "sequence_id",
  "sequence",
  "rev_comp",
  "productive",
  "v_call",
  "d_call",
  "j_call",
  "sequence_alignment",
  "germline_alignment",
  "junction",
  "junction_aa",
  "v_cigar",
  "d_cigar",
  "j_cigar",
  "locus",
  "duplicate_count",
  "clone_id",
  "repertoire_id",
  "cdr3",
  "cdr3_aa",
  "junction_length",
  "v_identity",
  "v_sequence_start",
  "v_sequence_end",
  "d_sequence_start",
  "d_sequence_end",
  "j_sequence_start",
  "j_sequence_end",
  "cdr3_start",
  "cdr3_end",
  "clone_name",
  "warnings",
] as const;

type AirrRow = Record<(typeof AIRR_FIELDS)[number], string | number>;

function airrBoolean(value: boolean | null): string {
  return value === null ? "" : value ? "T" : "F";
}

/** 1-based closed [start, end] of an interval, as AIRR wants. */
function airrRange(interval: Interval | null): [number | string, number | string] {
  return interval === null || interval.end === 0 ? ["", ""] : [interval.start + 1, interval.end];
}

/** A gene call with the genes as likely as it (W69), comma-separated as AIRR and our server's
 * AIRR files write them. */
function airrCall(clone: Clone, gene: { name: string } | null): string {
  if (gene === null) return "";
  const family = gene.name.slice(0, 4); // IGHV, TRGJ...: the equal genes of that segment
  const equal = clone.equalGenes.filter((name) => name !== gene.name && name.startsWith(family));
  return [gene.name, ...equal].join(",");
}

/** AIRR's v_identity is a fraction (the client and the .vidjil: a percentage). */
function airrIdentity(clone: Clone): number | string {
  const percent = clone.measures?.vIdentity?.percent;
  return percent === undefined ? "" : Math.round(percent * 1000) / 100000;
}

function airrRow(entry: Entry, result: VidjilResult, sample: number): AirrRow {
  const clone = entry.clone;
  const state = productivity(clone);
  const [vStart, vEnd] = airrRange(clone.v);
  const [dStart, dEnd] = airrRange(clone.d);
  const [jStart, jEnd] = airrRange(clone.j);
  const [cdr3Start, cdr3End] = airrRange(clone.cdr3);
  const junction = clone.junction ? clone.sequence.slice(clone.junction.start, clone.junction.end) : "";
  const originalName = result.samples[sample]?.originalName ?? "";
  return {
    sequence_id: `${clone.id}|${originalName}`,
    sequence: clone.sequence,
    rev_comp: "F",
    productive: airrBoolean(state === "unknown" ? null : state === "productive"),
    v_call: airrCall(clone, clone.v),
    d_call: clone.d?.name ?? "",
    j_call: airrCall(clone, clone.j),
    sequence_alignment: "",
    germline_alignment: "",
    junction,
    junction_aa: clone.junction?.aa.replace(/#$/, "") ?? "",
    v_cigar: "",
    d_cigar: "",
    j_cigar: "",
    locus: clone.locus,
    duplicate_count: entry.reads[sample] ?? 0,
    clone_id: clone.id,
    repertoire_id: originalName,
    cdr3: clone.cdr3 ? clone.sequence.slice(clone.cdr3.start, clone.cdr3.end) : "",
    cdr3_aa: clone.cdr3?.aa.replace(/#$/, "") ?? "",
    junction_length: junction.length || "",
    v_identity: airrIdentity(clone),
    v_sequence_start: vStart,
    v_sequence_end: vEnd,
    d_sequence_start: dStart,
    d_sequence_end: dEnd,
    j_sequence_start: jStart,
    j_sequence_end: jEnd,
    cdr3_start: cdr3Start,
    cdr3_end: cdr3End,
    clone_name: entry.name,
    warnings: warningsText(entry),
  };
}

/** One AIRR rearrangement row per selected clone and sample where it has reads. */
export function clonesAirr(entries: readonly Entry[], result: VidjilResult): string {
  const lines = [AIRR_FIELDS.join("\t")];
  for (const entry of entries) {
    result.samples.forEach((_, sample) => {
      if ((entry.reads[sample] ?? 0) === 0) return;
      const row = airrRow(entry, result, sample);
      lines.push(AIRR_FIELDS.map((field) => String(row[field]).replace(/[\t\n]/g, " ")).join("\t"));
    });
  }
  return `${lines.join("\n")}\n`;
}

/** One row per sample: reads analysed and segmented, per locus, and why the rest was not. */
export function readStatisticsCsv(result: VidjilResult): string {
  const loci = [...result.lociReads.keys()].sort();
  const reasonsBySample = result.samples.map((sample) => unsegmentedReasons(sample.log));
  const reasons = [...new Set(reasonsBySample.flatMap((list) => list.map((reason) => reason.label)))];
  const header = ["sample", "file", "date", "total reads", "segmented reads", "percent segmented"];
  header.push(
    ...loci.map((locus) => `${locus} reads`),
    ...reasons.map((reason) => `not segmented: ${reason}`),
  );
  const lines = [header.map(csvCell).join(",")];
  result.samples.forEach((sample, index) => {
    const total = sample.totalReads ?? sample.segmentedReads;
    const counts = new Map(reasonsBySample[index]?.map((reason) => [reason.label, reason.reads]));
    const cells: (string | number)[] = [
      sample.name,
      sample.originalName,
      sample.timestamp,
      total,
      sample.segmentedReads,
      total > 0 ? ((100 * sample.segmentedReads) / total).toFixed(2) : "",
      ...loci.map((locus) => result.lociReads.get(locus)?.[index] ?? 0),
      ...reasons.map((reason) => counts.get(reason) ?? ""),
    ];
    lines.push(cells.map(csvCell).join(","));
  });
  return `${lines.join("\n")}\n`;
}
