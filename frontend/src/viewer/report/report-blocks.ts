/**
 * What each block of a report shows, on screen and on paper. Everything is built as DOM nodes
 * with text (never HTML from the `.analysis`); a plot is its saved SVG shown as an image, which
 * can run nothing and load nothing.
 */
import type { AuditEntry, Sample } from "../../api/schema";
import { type Entry, fraction, productivityLabel } from "../../model/entries";
import { CLL_WORDING, identityWithStatus, mutationStatus } from "../../model/clinical";
import { formatCount, formatPercent } from "../../model/format";
import { tagName } from "../../model/tags";
import type { VidjilResult } from "../../model/vidjil";
import { h } from "../../ui/dom";
import { drawGraph } from "../plots/graph";
import { sampleCard } from "../read-stats";
import { resultTitle, type Store } from "../state";
import type { Report, ReportBlock } from "./report-model";

const TOP_CLONES = 10;

/** What a report is drawn from besides the result: the set (from the server) and its log. */
export interface ReportContext {
  store: Store;
  result: VidjilResult;
  report: Report;
  /** The set as the server shows it to this user; null for a file opened from disk. */
  set: Record<string, unknown> | null;
  /** The set's samples as the server records them (sampling date, PCR...); empty for a file. */
  samples: Sample[];
  /** The set's log; a string says why there is none. */
  log: AuditEntry[] | string;
}

function facts(rows: [string, string][]): HTMLElement {
  return h(
    "table",
    { class: "report-facts" },
    h(
      "tbody",
      {},
      ...rows
        .filter(([, value]) => value !== "")
        .map(([label, value]) => h("tr", {}, h("th", { scope: "row" }, label), h("td", {}, value))),
    ),
  );
}

/** The samples the report is about: the one of a diagnosis report, else all. */
export function reportedSamples(context: ReportContext): number[] {
  const all = context.result.samples.map((_, index) => index);
  const chosen = context.report.sample;
  if (chosen === null) return all;
  const index = context.result.samples.findIndex((sample) => sample.originalName === chosen);
  return index >= 0 ? [index] : all;
}

/** The programs that analysed the samples: a fused result's own producer only combined them. */
export function analysedBy(result: { producer: string; samples: { producer: string }[] }): string {
  const programs = [...new Set(result.samples.map((sample) => sample.producer).filter(Boolean))];
  return programs.length ? programs.join("; ") : result.producer;
}

function fileInfo(context: ReportContext): HTMLElement {
  const { result, report, store } = context;
  return facts([
    ["Result", resultTitle(store.state)],
    ["Analysed by", analysedBy(result)],
    ["Analysis date", result.timestamp],
    ["Report date", report.date],
    ["Author", report.author],
    ["Samples", String(result.samples.length)],
  ]);
}

function patientInfo(context: ReportContext): HTMLElement {
  const set = context.set;
  if (set === null) return h("p", { class: "muted" }, "Opened from a file: no patient information.");
  const text = (key: string) => (set[key] === null || set[key] === undefined ? "" : String(set[key]));
  const kind = text("kind");
  return facts([
    [kind === "patient" ? "Patient" : kind === "run" ? "Run" : "Set", text("name")],
    ["Identifier", text("id_label")],
    ["Birth date", text("birth")],
    ["Age", text("age") ? `${text("age")} years` : ""],
    ["Run date", text("run_date")],
    ["Sequencer", text("sequencer")],
    ["Information", text("info")],
  ]);
}

function samplesTable(context: ReportContext): HTMLElement {
  const { result } = context;
  return h(
    "table",
    { class: "report-clones report-samples" },
    h(
      "thead",
      {},
      h("tr", {}, ...["Sample", "File", "Date", "Reads", "Analysed"].map((label) => h("th", {}, label))),
    ),
    h(
      "tbody",
      {},
      ...reportedSamples(context).map((index) => {
        const sample = result.samples[index]!;
        const total = sample.totalReads ?? sample.segmentedReads;
        return h(
          "tr",
          {},
          h("td", {}, sample.name),
          h("td", {}, sample.originalName),
          h("td", {}, sample.timestamp),
          h("td", { class: "numeric" }, formatCount(total)),
          h("td", { class: "numeric" }, formatPercent(total ? sample.segmentedReads / total : 0)),
        );
      }),
    ),
  );
}

function sampleInfo(context: ReportContext, block: ReportBlock): HTMLElement {
  const samples = context.result.samples;
  const index = Math.max(
    0,
    samples.findIndex((sample) => sample.originalName === (block.sample ?? context.report.sample)),
  );
  const sample = samples[index]!;
  const recorded = context.samples.find((item) => item.original_name === sample.originalName);
  return facts([
    ["Sample", sample.name],
    ["File", sample.originalName],
    ["Sampling date", recorded?.sampling_date ?? ""],
    ["Information", recorded?.info ?? ""],
    ["Tags", recorded?.tags.join(", ") ?? ""],
    ["PCR", recorded?.pcr ?? ""],
    ["Sequencer", recorded?.sequencer ?? ""],
    ["Produced by", recorded?.producer ?? ""],
    ["Date", sample.timestamp],
    ["Analysed by", sample.producer],
    ["Parameters", sample.commandLine],
  ]);
}

function readStats(context: ReportContext): HTMLElement {
  const { result } = context;
  return h(
    "div",
    { class: "read-stats" },
    ...reportedSamples(context).map((index) => sampleCard(result, result.samples[index]!, index)),
  );
}

function monitor(context: ReportContext): HTMLElement {
  if (context.result.samples.length < 2) return h("p", { class: "muted" }, "One sample: no follow-up graph.");
  return h("div", { class: "report-graph" }, drawGraph(context.store, { width: 900, height: 330 }));
}

function plot(block: ReportBlock): HTMLElement {
  const source = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(block.svg ?? "")}`;
  return h(
    "figure",
    { class: "report-plot" },
    h("img", { src: source, alt: block.title ?? "plot" }),
    block.caption ? h("figcaption", {}, block.caption) : null,
  );
}

/** Tagged and selected clones first, then the top ones, each once. */
function reportedEntries(store: Store): Entry[] {
  const entries = store.entries();
  const selected = new Set(store.state.selection);
  const chosen = entries.filter((entry) => entry.tag !== null || selected.has(entry.id));
  const top = [...store.visible()].sort((a, b) => a.rank - b.rank).slice(0, TOP_CLONES);
  return [...new Set([...chosen, ...top])];
}

function clones(context: ReportContext): HTMLElement {
  const { result, store } = context;
  const samples = reportedSamples(context);
  const heads = ["Clone", "Tag", "Locus", "V", "D", "J", "CDR3 (aa)", "Productivity", "V identity"];
  const entries = reportedEntries(store);
  // The CLL wording is said once, under the table, when an IGH clone has its V identity.
  const cll = entries.some((entry) =>
    mutationStatus(entry.clone.locus, entry.clone.measures?.vIdentity ?? null),
  );
  const table = h(
    "table",
    { class: "report-clones" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...heads.map((label) => h("th", { scope: "col" }, label)),
        ...samples.map((index) => h("th", { scope: "col", class: "numeric" }, result.samples[index]!.name)),
      ),
    ),
    h(
      "tbody",
      {},
      ...entries.map((entry) => {
        const clone = entry.clone;
        return h(
          "tr",
          {},
          h("td", { class: "clone-name" }, entry.name),
          h("td", {}, entry.tag === null ? "" : tagName(entry.tag, store.state.analysis.tagNames)),
          h("td", {}, clone.locus),
          h("td", {}, clone.v?.name ?? "?"),
          h("td", {}, clone.d?.name ?? ""),
          h("td", {}, clone.j?.name ?? "?"),
          h("td", { class: "cdr3-aa" }, clone.cdr3?.aa ?? ""),
          h("td", {}, productivityLabel(clone)),
          h(
            "td",
            { class: "v-identity", title: clone.measures?.vIdentity?.allele ?? null },
            identityWithStatus(clone.locus, clone.measures?.vIdentity ?? null),
          ),
          ...samples.map((index) =>
            h("td", { class: "numeric" }, formatPercent(fraction(entry, result, index))),
          ),
        );
      }),
    ),
  );
  if (!cll) return table;
  return h("div", {}, table, h("p", { class: "report-note", "data-testid": "cll-wording" }, CLL_WORDING));
}

function logOfTheSet(context: ReportContext): HTMLElement {
  if (typeof context.log === "string") return h("p", { class: "muted" }, context.log);
  if (context.log.length === 0) return h("p", { class: "muted" }, "Nothing recorded.");
  return h(
    "table",
    { class: "report-clones report-log" },
    h("thead", {}, h("tr", {}, ...["When", "Who", "What", "On"].map((label) => h("th", {}, label)))),
    h(
      "tbody",
      {},
      ...context.log.map((entry) =>
        h(
          "tr",
          {},
          h("td", {}, entry.at.replace("T", " ").slice(0, 16)),
          h("td", {}, entry.user_email),
          h("td", {}, entry.action.replace(/_/g, " ")),
          h(
            "td",
            {},
            `${entry.table_name.replace(/_/g, " ")}${entry.record_id === null ? "" : ` #${entry.record_id}`}`,
          ),
        ),
      ),
    ),
  );
}

/** A block's content; comments are drawn by the page, which edits them. */
export function blockContent(context: ReportContext, block: ReportBlock): HTMLElement {
  switch (block.blockType) {
    case "file_info":
      return fileInfo(context);
    case "patient_info":
      return patientInfo(context);
    case "samples":
      return samplesTable(context);
    case "sample_info":
      return sampleInfo(context, block);
    case "reads_stats":
      return readStats(context);
    case "monitor":
      return monitor(context);
    case "plot":
      return plot(block);
    case "clones":
      return clones(context);
    case "log_db":
      return logOfTheSet(context);
    case "comment":
      return h("p", { class: "report-comment" }, block.text ?? "");
  }
}
