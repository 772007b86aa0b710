/** The Export menu: tables of clones, the analysis layer, and the plots as images. */
import { download, baseName } from "./export/download";
import { svgText, svgToPng } from "./export/images";
import { clonesAirr, clonesCsv, clonesFasta, readStatisticsCsv } from "./export/tables";
import { analysisDocument } from "../model/analysis-file";
import { closeMenuOnEscape } from "./menus";
import { addViewToReport, completedAnalysis } from "./report/report-store";
import type { Store } from "./state";
import { h } from "../ui/dom";

interface Action {
  id: string;
  label: string;
  needsSelection?: boolean;
  run: (store: Store) => void | Promise<void>;
}

function plot(testId: string): SVGSVGElement | null {
  return document.querySelector<SVGSVGElement>(`svg[data-testid="${testId}"]`);
}

async function savePlot(store: Store, testId: string, name: string, format: "svg" | "png"): Promise<void> {
  const svg = plot(testId);
  if (svg === null) throw new Error(`the ${name} is not shown`);
  const file = `${baseName(store.state.sourceName)}-${name}.${format}`;
  if (format === "svg") download(file, svgText(svg), "image/svg+xml");
  else download(file, await svgToPng(svg), "image/png");
}

const ACTIONS: Action[] = [
  {
    id: "csv",
    label: "Clones shown (CSV)",
    run: (store) =>
      download(
        `${baseName(store.state.sourceName)}-clones.csv`,
        clonesCsv(store.visible(), store.state.result!, store.state.analysis.tagNames),
        "text/csv",
      ),
  },
  {
    id: "fasta",
    label: "Selected clones (FASTA)",
    needsSelection: true,
    run: (store) =>
      download(
        `${baseName(store.state.sourceName)}-selected.fasta`,
        clonesFasta(store.selectedEntries(), store.state.result!, store.state.sample),
        "text/x-fasta",
      ),
  },
  {
    id: "airr",
    label: "Selected clones (AIRR TSV)",
    needsSelection: true,
    run: (store) =>
      download(
        `${baseName(store.state.sourceName)}-selected.airr.tsv`,
        clonesAirr(store.selectedEntries(), store.state.result!),
        "text/tab-separated-values",
      ),
  },
  {
    id: "analysis",
    label: "Analysis: names, tags, merges (.analysis)",
    run: (store) =>
      download(
        `${baseName(store.state.sourceName)}.analysis`,
        `${JSON.stringify(completedAnalysis(store, analysisDocument(store.state.analysis, store.state.result!)), null, 2)}\n`,
        "application/json",
      ),
  },
  {
    id: "read-statistics",
    label: "Read statistics per sample (CSV)",
    run: (store) =>
      download(
        `${baseName(store.state.sourceName)}-read-statistics.csv`,
        readStatisticsCsv(store.state.result!),
        "text/csv",
      ),
  },
  { id: "grid-svg", label: "Grid (SVG)", run: (store) => savePlot(store, "grid-svg", "grid", "svg") },
  { id: "grid-png", label: "Grid (PNG)", run: (store) => savePlot(store, "grid-svg", "grid", "png") },
  { id: "graph-svg", label: "Graph (SVG)", run: (store) => savePlot(store, "graph-svg", "graph", "svg") },
  { id: "graph-png", label: "Graph (PNG)", run: (store) => savePlot(store, "graph-svg", "graph", "png") },
  { id: "grid-report", label: "Grid: add to the report", run: (store) => addViewToReport(store, "grid") },
  { id: "graph-report", label: "Graph: add to the report", run: (store) => addViewToReport(store, "graph") },
];

export function exportMenu(store: Store): HTMLElement {
  const menu = h("details", { class: "menu export-menu" }, h("summary", { class: "button" }, "Export ▾"));
  const list = h("div", { class: "menu-items", role: "menu" });
  menu.append(list);
  const buttons = ACTIONS.map((action) => {
    const button = h("button", { type: "button", role: "menuitem", "data-action": action.id }, action.label);
    button.addEventListener("click", async () => {
      menu.open = false;
      try {
        await action.run(store);
      } catch (error) {
        store.update({ error: `Export failed: ${(error as Error).message}` });
      }
    });
    list.append(button);
    return { action, button };
  });
  closeMenuOnEscape(menu);
  menu.addEventListener("toggle", () => {
    if (menu.open) buttons.find(({ button }) => !button.disabled)?.button.focus();
  });
  store.subscribe((state) => {
    menu.hidden = state.result === null;
    const hasGraph = (state.result?.samples.length ?? 0) >= 2;
    for (const { action, button } of buttons) {
      button.disabled =
        (action.needsSelection === true && state.selection.length === 0) ||
        (action.id.startsWith("graph") && !hasGraph);
    }
  });
  return menu;
}
