/**
 * The reports of the open result, beside the viewer's store: read from the `.analysis` when it is
 * loaded, written back into it when it is saved or exported, so that a saved report reopens with
 * the analysis. Also what the `.analysis` holds that the viewer does not edit (Vidjil's `info`,
 * `normalization`, `data`...): kept as it was, so that saving here loses nothing Vidjil wrote.
 *
 * One state per loaded result: opening another result starts with its own reports.
 */
import { axisById } from "../../model/axes";
import type { VidjilResult } from "../../model/vidjil";
import { svgText } from "../export/images";
import type { Store } from "../state";
import {
  newReport,
  parseReportSave,
  type Report,
  type ReportSave,
  reportSaveDocument,
  withBlock,
  withReport,
} from "./report-model";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface ReportState {
  /** The reports as in the `.analysis` (saved ones, or kept for the next save). */
  reports: ReportSave;
  /** The report being written, maybe not kept yet. */
  current: Report | null;
  /** The names of the reports saved here: only these are rewritten in the `.analysis`. */
  edited: Set<string>;
  /** `report_save` as loaded: reports not saved here are written back as they came. */
  loadedReports: Record<string, unknown>;
  /** The top-level parts of the loaded `.analysis` that the viewer does not write. */
  kept: Record<string, unknown>;
}

/** What the viewer writes itself in an `.analysis` (`analysis-file.ts`); the rest is kept. */
const WRITTEN_BY_THE_VIEWER = new Set([
  "vidjil_json_version",
  "producer",
  "timestamp",
  "samples",
  "clones",
  "clusters",
  "tags",
  "report_save",
]);

const states = new WeakMap<VidjilResult, ReportState>();

export function reportState(store: Store): ReportState | null {
  const result = store.state.result;
  if (result === null) return null;
  let state = states.get(result);
  if (state === undefined) {
    state = { reports: {}, current: null, edited: new Set(), loadedReports: {}, kept: {} };
    states.set(result, state);
  }
  return state;
}

/** The loaded `.analysis` text (the loader calls it): its reports and its other parts. */
export function rememberAnalysis(store: Store, text: string): void {
  const state = reportState(store);
  if (state === null) return;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return; // the viewer's own parser says what is wrong with it
  }
  if (typeof document !== "object" || document === null || Array.isArray(document)) return;
  const entries = Object.entries(document as Record<string, unknown>);
  const reportSave = (document as Record<string, unknown>).report_save;
  state.reports = parseReportSave(reportSave);
  state.loadedReports = isRecord(reportSave) ? reportSave : {};
  state.edited = new Set();
  state.kept = Object.fromEntries(entries.filter(([key]) => !WRITTEN_BY_THE_VIEWER.has(key)));
  state.current = null;
}

/** Keeps a report in the result's reports, to be written in the `.analysis` at the next save. */
export function keepReport(state: ReportState, report: Report): void {
  state.reports = withReport(state.reports, report);
  state.edited.add(report.name);
}

/**
 * The `.analysis` the viewer made, with the reports and the parts it does not write. A report
 * loaded and not saved here goes back as it came (with blocks this viewer does not know).
 */
export function completedAnalysis(store: Store, document: Record<string, unknown>): Record<string, unknown> {
  const state = reportState(store);
  if (state === null) return document;
  const saved = Object.fromEntries(Object.entries(state.reports).filter(([name]) => state.edited.has(name)));
  const reportSave = { ...state.loadedReports, ...reportSaveDocument(saved) };
  return {
    ...state.kept,
    ...document,
    ...(Object.keys(reportSave).length ? { report_save: reportSave } : {}),
  };
}

/**
 * A plot from a view ("add to the report", as Vidjil's "add to next report"): appended to the
 * report being written, or to a new full report. Returns that report's name.
 */
export function addPlotToReport(store: Store, svg: SVGSVGElement, title: string, caption: string): string {
  const state = reportState(store);
  if (state === null) throw new Error("open a result first");
  const today = new Date().toISOString().slice(0, 10);
  const report = state.current ?? newReport("full", { date: today });
  state.current = withBlock(report, { blockType: "plot", svg: svgText(svg), title, caption });
  return state.current.name;
}

/** Export > "add the grid (or graph) to the report": the plot as shown, with what it shows. */
export function addViewToReport(store: Store, view: "grid" | "graph"): void {
  const svg = document.querySelector<SVGSVGElement>(`svg[data-testid="${view}-svg"]`);
  if (svg === null) throw new Error(`the ${view} is not shown`);
  const { gridX, gridY, gridMode, result, sample } = store.state;
  const sampleName = result?.samples[sample]?.name ?? "";
  const [title, caption] =
    view === "grid"
      ? gridMode === "bars"
        ? [`Distribution by ${axisById(gridX).label}`, sampleName]
        : [`${axisById(gridY).label} by ${axisById(gridX).label}`, sampleName]
      : ["Follow-up", `${result?.samples.length ?? 0} samples`];
  const name = addPlotToReport(store, svg, title, caption);
  store.update({ notice: `Added to the report "${name}"` });
}
