/**
 * One store for the results page: the loaded result, the user's analysis layer and the view
 * settings. Views subscribe and redraw from it, so a selection made in one view shows in all.
 */
import { type Analysis, emptyAnalysis } from "../model/analysis";
import { buildEntries, type Entry } from "../model/entries";
import { DEFAULT_FILTERS, type Filters, type Sort, sortedEntries, visibleEntries } from "../model/filters";
import type { VidjilResult } from "../model/vidjil";

/** A set's results for one analysis config, as the server keeps them. */
export interface ServerSet {
  setId: number;
  configId: number;
}

export type BottomTab = "sequences" | "clone" | "reads";

export interface ViewState {
  result: VidjilResult | null;
  sourceName: string;
  analysis: Analysis;
  /** Selected entry ids in click order; the first is the alignment reference. */
  selection: readonly string[];
  sample: number;
  filters: Filters;
  sort: Sort;
  gridX: string;
  gridY: string;
  /** Bubbles placed by two axes, or bars of the share of reads along the X axis. */
  gridMode: "bubbles" | "bars";
  bottomTab: BottomTab;
  error: string;
  /** Where the result came from when the server opened it; the analysis is saved back there. */
  server: ServerSet | null;
  /** A short confirmation, e.g. "Saved (version 3)". */
  notice: string;
  /** The analysis as last saved on the server: differs from `analysis` when there are unsaved edits. */
  savedAnalysis: Analysis | null;
}

export type Listener = (state: ViewState) => void;

export class Store {
  private current: ViewState = {
    result: null,
    sourceName: "",
    analysis: emptyAnalysis(),
    selection: [],
    sample: 0,
    filters: DEFAULT_FILTERS,
    sort: { key: "size", descending: true },
    gridX: "v",
    gridY: "j",
    gridMode: "bubbles",
    bottomTab: "sequences",
    error: "",
    server: null,
    notice: "",
    savedAnalysis: null,
  };
  private listeners: Listener[] = [];
  private permanentListeners: Listener[] = [];
  private cachedEntries: { result: VidjilResult; analysis: Analysis; entries: Entry[] } | null = null;

  get state(): ViewState {
    return this.current;
  }

  update(patch: Partial<ViewState>): void {
    this.current = { ...this.current, ...patch };
    for (const listener of [...this.permanentListeners, ...this.listeners]) listener(this.current);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.push(listener);
    listener(this.current);
    return () => {
      this.listeners = this.listeners.filter((other) => other !== listener);
    };
  }

  /** Drops the listeners of views: a page calls it when it is left, so old views stop redrawing. */
  unsubscribeAll(): void {
    this.listeners = [];
  }

  /** A listener for the app's lifetime (preferences), kept when pages change. */
  subscribeForever(listener: Listener): void {
    this.permanentListeners.push(listener);
    listener(this.current);
  }

  load(result: VidjilResult, sourceName: string, server: ServerSet | null = null): void {
    this.update({
      result,
      sourceName,
      server,
      notice: "",
      savedAnalysis: null,
      analysis: emptyAnalysis(),
      selection: [],
      sample: 0,
      error: "",
      // Clone ids and loci are the file's own: filters naming them start afresh.
      filters: { ...this.current.filters, focus: null, hidden: new Set(), hiddenLoci: new Set(), search: "" },
    });
  }

  /** All entries (clusters applied), recomputed only when the result or analysis changes. */
  entries(): Entry[] {
    const { result, analysis } = this.current;
    if (result === null) return [];
    const cached = this.cachedEntries;
    if (cached?.result === result && cached.analysis === analysis) return cached.entries;
    const entries = buildEntries(result, analysis);
    this.cachedEntries = { result, analysis, entries };
    return entries;
  }

  /** Entries passing the filters, in the list's sort order. */
  visible(): Entry[] {
    const { result, filters, sort, sample } = this.current;
    if (result === null) return [];
    return sortedEntries(visibleEntries(this.entries(), filters), sort, result, sample);
  }

  selectedEntries(): Entry[] {
    const byId = new Map(this.entries().map((entry) => [entry.id, entry]));
    return this.current.selection
      .map((id) => byId.get(id))
      .filter((entry): entry is Entry => entry !== undefined);
  }

  /** Click selects one entry; with `add` (Ctrl/Shift) it toggles the entry in the selection. */
  select(id: string, add: boolean): void {
    const selection = this.current.selection;
    if (!add) {
      this.update({ selection: [id] });
      return;
    }
    const next = selection.includes(id) ? selection.filter((other) => other !== id) : [...selection, id];
    this.update({ selection: next });
  }
}
