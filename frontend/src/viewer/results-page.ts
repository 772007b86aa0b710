/**
 * The results page: toolbar on top, filters and the clone list on the left, grid and time-course
 * graph on the right, and below, full width, tabs for the sequences, the clone info and the read
 * statistics (full width so that a whole sequence fits on one line).
 */
import { acceptDrops, loadFromQuery } from "./loader";
import type { BottomTab, Store } from "./state";
import { h, isTyping } from "../ui/dom";
import { focusSelection, hideSelection, mergeSelection, mountActions } from "./actions";
import { mountCloneInfo } from "./clone-info";
import { mountColourLegend } from "./colour-legend";
import { mountGraph } from "./plots/graph";
import { applyPreset, mountGrid } from "./plots/grid";
import { mountList } from "./list";
import { mountReadStats } from "./read-stats";
import { saveAnalysis } from "./save-analysis";
import { mountSequences } from "./sequences";
import { shortcutsHelp } from "./shortcuts-help";
import { mountFilters, mountToolbar, stepSample, stepTop } from "./toolbar";

const TABS: { id: BottomTab; label: string; mount: (container: HTMLElement, store: Store) => void }[] = [
  { id: "sequences", label: "Sequences", mount: mountSequences },
  { id: "clone", label: "Clone info", mount: mountCloneInfo },
  { id: "reads", label: "Read statistics", mount: mountReadStats },
];

export function resultsPage(store: Store): (root: HTMLElement) => () => void {
  return (root) => {
    const toolbar = h("header", { class: "toolbar" });
    const error = h("div", { class: "error-banner", role: "alert" });
    const welcome = welcomePanel();
    const filters = h("div", { class: "filters", role: "search" });
    const actions = h("div", { class: "actions" });
    const list = h("section", { class: "panel list-panel", "aria-label": "Clone list" });
    const grid = h("section", { class: "panel grid-panel", "aria-label": "Grid" }, h("h2", {}, "Grid"));
    const graph = h(
      "section",
      { class: "panel graph-panel", "aria-label": "Samples graph" },
      h("h2", {}, "Follow-up"),
    );
    const bottom = h("section", { class: "panel bottom-panel", "aria-label": "Details" });
    const colours = h("div", { class: "colour-strip", "aria-label": "Colours" });
    const main = h(
      "main",
      { class: "results" },
      h("div", { class: "left" }, filters, actions, list),
      h("div", { class: "plots-column" }, colours, h("div", { class: "plots" }, grid, graph)),
      bottom,
    );
    root.append(toolbar, error, welcome, main);

    mountToolbar(toolbar, store);
    const help = shortcutsHelp();
    toolbar.append(help.button);
    mountFilters(filters, store);
    mountList(list, store);
    const selectionSlot = h("span", { class: "selection" });
    list.querySelector(".list-head")?.append(selectionSlot);
    mountActions(actions, selectionSlot, store);
    mountColourLegend(colours, store);
    mountGrid(grid, store);
    mountGraph(graph, store);
    mountTabs(bottom, store);
    const stopDrops = acceptDrops(document.body, store);

    store.subscribe((state) => {
      error.textContent = state.error;
      error.hidden = state.error === "";
      welcome.hidden = state.result !== null;
      main.hidden = state.result === null;
      main.classList.toggle("single-sample", (state.result?.samples.length ?? 0) < 2);
    });
    const onKey = (event: KeyboardEvent) => shortcut(event, store, help.open);
    document.addEventListener("keydown", onKey);
    // Edits to a result opened from the server live in memory until saved: ask before losing them.
    const onLeave = (event: BeforeUnloadEvent) => {
      const { server, analysis, savedAnalysis } = store.state;
      if (server !== null && analysis !== savedAnalysis) event.preventDefault();
    };
    window.addEventListener("beforeunload", onLeave);
    // Coming back from another page keeps the result (and the user's edits) already loaded.
    if (store.state.result === null) void loadFromQuery(store, window.location.search);
    return () => {
      document.removeEventListener("keydown", onKey);
      window.removeEventListener("beforeunload", onLeave);
      stopDrops();
      help.remove();
      store.unsubscribeAll();
    };
  };
}

function welcomePanel(): HTMLElement {
  return h(
    "section",
    { class: "welcome" },
    h("h1", {}, "Open an analysis result"),
    h(
      "p",
      {},
      "Drop a ",
      h("code", {}, ".vidjil"),
      " file here, with its ",
      h("code", {}, ".analysis"),
      " if you have one, or",
    ),
    h("label", { for: "open-file", class: "button primary" }, "Choose a file…"),
    h(
      "p",
      { class: "muted" },
      "Everything stays on this computer: the file is read by the browser, nothing is sent anywhere.",
    ),
    h(
      "p",
      {},
      "Results of the lab's samples are opened from ",
      h("a", { href: "#/home" }, "patients, runs and sets"),
      ".",
    ),
  );
}

function mountTabs(container: HTMLElement, store: Store): void {
  const tabList = h("div", { class: "tabs", role: "tablist", "aria-label": "Details" });
  container.append(tabList);
  const buttons = TABS.map((tab) => {
    const button = h(
      "button",
      { type: "button", role: "tab", id: `tab-${tab.id}`, "aria-controls": `tabpanel-${tab.id}` },
      tab.label,
    );
    const panel = h("div", {
      role: "tabpanel",
      id: `tabpanel-${tab.id}`,
      "aria-labelledby": `tab-${tab.id}`,
      class: "tab-panel",
    });
    button.addEventListener("click", () => store.update({ bottomTab: tab.id }));
    button.addEventListener("keydown", (event) => {
      const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
      if (step === 0) return;
      event.preventDefault();
      event.stopPropagation();
      const next = TABS[(TABS.indexOf(tab) + step + TABS.length) % TABS.length]!;
      store.update({ bottomTab: next.id });
      document.getElementById(`tab-${next.id}`)?.focus();
    });
    tabList.append(button);
    container.append(panel);
    tab.mount(panel, store);
    return { tab, button, panel };
  });
  store.subscribe((state) => {
    for (const { tab, button, panel } of buttons) {
      const active = state.bottomTab === tab.id;
      button.setAttribute("aria-selected", String(active));
      button.tabIndex = active ? 0 : -1;
      panel.hidden = !active;
    }
  });
}

/** Vidjil's keys (see shortcuts-help.ts for the list the user reads). */
function shortcut(event: KeyboardEvent, store: Store, showHelp: () => void): void {
  if (store.state.result === null) return;
  if (editingShortcut(event, store)) return;
  if (isTyping(event.target) || event.altKey || event.ctrlKey || event.metaKey) return;
  // An open dialog owns the keys (Esc closes it).
  if (document.querySelector("dialog[open]") !== null) return;
  const action = event.shiftKey ? shiftedAction(event, store, showHelp) : plainAction(event, store, showHelp);
  if (action === undefined) return;
  event.preventDefault();
  action();
}

/** Ctrl+S saves; Ctrl+Z, Ctrl+Shift+Z and Ctrl+Y undo and redo, even from a field of the page. */
function editingShortcut(event: KeyboardEvent, store: Store): boolean {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return false;
  const key = event.key.toLowerCase();
  if (key === "s") {
    // Ctrl+S saves the analysis (on the server when it opened the result, else as a download).
    event.preventDefault();
    if (store.state.server) void saveAnalysis(store);
    else document.querySelector<HTMLButtonElement>('[data-action="analysis"]')?.click();
    return true;
  }
  // In a text field, the field's own undo comes first.
  if (isTyping(event.target) && (event.target as HTMLElement).tagName !== "SELECT") return false;
  if (key === "z" || key === "y") {
    event.preventDefault();
    if (key === "y" || event.shiftKey) store.redo();
    else store.undo();
    return true;
  }
  return false;
}

/** Vidjil's locus keys: a TRA, b TRB, g TRG, d TRD, h IGH, k IGK, l IGL, x unexpected. */
const LOCUS_KEYS: Record<string, string> = {
  a: "TRA",
  b: "TRB",
  g: "TRG",
  d: "TRD",
  h: "IGH",
  k: "IGK",
  l: "IGL",
  x: "xxx",
};

function lociOf(store: Store, key: string): string[] {
  const result = store.state.result;
  const prefix = LOCUS_KEYS[key.toLowerCase()];
  if (result === null || prefix === undefined) return [];
  const loci = new Set([...result.lociReads.keys(), ...result.clones.map((clone) => clone.locus)]);
  return [...loci].filter((locus) => locus === prefix || locus.startsWith(`${prefix}+`));
}

/** A locus key shows or hides that locus; with Shift, it shows that locus alone. */
function toggleLoci(store: Store, key: string, alone: boolean): (() => void) | undefined {
  const loci = lociOf(store, key);
  if (loci.length === 0) return undefined;
  return () => {
    const all = [
      ...new Set([
        ...store.state.result!.lociReads.keys(),
        ...store.state.result!.clones.map((c) => c.locus),
      ]),
    ];
    const current = store.state.filters.hiddenLoci;
    const hidden = alone
      ? new Set(all.filter((locus) => !loci.includes(locus)))
      : new Set(
          loci.every((locus) => current.has(locus))
            ? [...current].filter((locus) => !loci.includes(locus))
            : [...current, ...loci],
        );
    store.update({ filters: { ...store.state.filters, hiddenLoci: hidden } });
  };
}

function plainAction(event: KeyboardEvent, store: Store, showHelp: () => void): (() => void) | undefined {
  const actions: Record<string, () => void> = {
    ArrowLeft: () => stepSample(store, -1),
    ArrowRight: () => stepSample(store, 1),
    Escape: () => store.update({ selection: [] }),
    Backspace: () => store.undo(),
    "+": () => mergeSelection(store),
    "/": () => document.getElementById("search")?.focus(),
    "#": () => store.update({ gridMode: store.state.gridMode === "bars" ? "bubbles" : "bars" }),
    z: () => focusSelection(store),
    "?": showHelp,
  };
  if (/^[0-9]$/.test(event.key)) return () => applyPreset(store, event.key);
  return actions[event.key] ?? toggleLoci(store, event.key, false);
}

function shiftedAction(event: KeyboardEvent, store: Store, showHelp: () => void): (() => void) | undefined {
  const actions: Record<string, () => void> = {
    ArrowLeft: () => stepTop(store, -1),
    ArrowRight: () => stepTop(store, 1),
    Z: () => hideSelection(store),
    "?": showHelp,
    "+": () => mergeSelection(store),
    "#": () => store.update({ gridMode: store.state.gridMode === "bars" ? "bubbles" : "bars" }),
  };
  // Digits under Shift on some keyboards (AZERTY): the code says which key it is.
  const digit = /^Digit([0-9])$/.exec(event.code)?.[1];
  if (digit !== undefined && actions[event.key] === undefined) return () => applyPreset(store, digit);
  return actions[event.key] ?? toggleLoci(store, event.key, true);
}
