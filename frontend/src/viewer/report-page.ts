/**
 * A printable report of the open result (browser print -> PDF): samples and their reads, the
 * follow-up graph, and a table of the tagged, selected and top clones with their share per sample.
 */
import { type Entry, fraction, productivityLabel } from "../model/entries";
import { formatPercent } from "../model/format";
import { tagName } from "../model/tags";
import type { VidjilResult } from "../model/vidjil";
import { resultTitle, type Store } from "./state";
import { h } from "../ui/dom";
import { drawGraph } from "./plots/graph";
import { sampleCard } from "./read-stats";

const TOP_CLONES = 10;

export function reportPage(store: Store): (root: HTMLElement) => () => void {
  return (root) => {
    document.body.classList.add("printable");
    const result = store.state.result;
    if (result === null) {
      root.append(
        h(
          "main",
          { class: "report" },
          h("p", {}, "Open a result first. "),
          h("a", { href: "#/viewer" }, "Back to the results"),
        ),
      );
    } else {
      root.append(report(store, result));
    }
    return () => document.body.classList.remove("printable");
  };
}

/** Tagged and selected clones first, then the top ones, each once. */
function reportedEntries(store: Store): Entry[] {
  const entries = store.entries();
  const selected = new Set(store.state.selection);
  const chosen = entries.filter((entry) => entry.tag !== null || selected.has(entry.id));
  const top = [...store.visible()].sort((a, b) => a.rank - b.rank).slice(0, TOP_CLONES);
  return [...new Set([...chosen, ...top])];
}

function report(store: Store, result: VidjilResult): HTMLElement {
  const print = h("button", { type: "button", class: "button primary" }, "Print or save as PDF");
  print.addEventListener("click", () => window.print());
  const entries = reportedEntries(store);
  return h(
    "main",
    { class: "report" },
    h(
      "nav",
      { class: "no-print report-actions" },
      h("a", { href: "#/viewer", class: "button" }, "← Back to the results"),
      print,
    ),
    h("h1", {}, "Clonality report"),
    h(
      "p",
      { class: "muted" },
      `${resultTitle(store.state)} · analysis ${result.producer || "unknown producer"} ${result.timestamp} · printed ${new Date().toLocaleString("en-GB")}`,
    ),
    h("p", { class: "ruo" }, "Research use only unless validated by your laboratory."),
    h("h2", {}, "Samples"),
    h(
      "div",
      { class: "read-stats" },
      ...result.samples.map((sample, index) => sampleCard(result, sample, index)),
    ),
    result.samples.length >= 2 ? h("h2", {}, "Follow-up") : null,
    result.samples.length >= 2
      ? h("div", { class: "report-graph" }, drawGraph(store, { width: 900, height: 330 }))
      : null,
    h("h2", {}, "Clones"),
    cloneTable(entries, result, store.state.analysis.tagNames),
  );
}

function cloneTable(
  entries: Entry[],
  result: VidjilResult,
  tagNames: ReadonlyMap<number, string>,
): HTMLElement {
  const sampleHeads = result.samples.map((sample) =>
    h("th", { scope: "col", class: "numeric" }, sample.name),
  );
  return h(
    "table",
    { class: "report-clones" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...["Clone", "Tag", "Locus", "V", "D", "J", "CDR3 (aa)", "Productivity"].map((label) =>
          h("th", { scope: "col" }, label),
        ),
        ...sampleHeads,
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
          h("td", {}, entry.name),
          h("td", {}, entry.tag === null ? "" : tagName(entry.tag, tagNames)),
          h("td", {}, clone.locus),
          h("td", {}, clone.v?.name ?? "?"),
          h("td", {}, clone.d?.name ?? ""),
          h("td", {}, clone.j?.name ?? "?"),
          h("td", { class: "cdr3-aa" }, clone.cdr3?.aa ?? ""),
          h("td", {}, productivityLabel(clone)),
          ...result.samples.map((_, index) =>
            h("td", { class: "numeric" }, formatPercent(fraction(entry, result, index))),
          ),
        );
      }),
    ),
  );
}
