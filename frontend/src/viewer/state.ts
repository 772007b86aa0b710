/**
 * One store for the results page: the loaded result, the user's analysis layer with its undo
 * history, and the view settings. Views subscribe and redraw from it, so a selection made in one
 * view shows in all. What every view derives (entries, the shown entries, their colours, the
 * smaller clonotypes) is computed once per change and cached: a click must be answered fast on
 * a result of 100,000 clone-samples.
 */
import { type Analysis, emptyAnalysis, resultAnalysis } from "../model/analysis";
import { prepareKeys } from "../model/clustering";
import { type ColourBy, type ColourScale, colourScale } from "../model/colours";
import { buildEntries, type Entry, type Grouping, groupClones } from "../model/entries";
import { DEFAULT_FILTERS, type Filters, type Sort, sortedEntries, visibleEntries } from "../model/filters";
import { History } from "../model/history";
import { type SmallerClonotypes, smallerClonotypes } from "../model/smaller";
import { SMALLER_TAG } from "../model/tags";
import type { VidjilResult } from "../model/vidjil";

/** A set's results for one analysis config, as the server keeps them. */
export interface ServerSet {
  setId: number;
  configId: number;
}

/** What the server says of that set and config, for the header and the germline genes. */
export interface ServerNames {
  /** The patient (or its pseudonym, without the anon right), the run or the set. */
  setName: string;
  configName: string;
  /** The config's germline set ("human", "human:IGH"), whose genes the sequence panel can show. */
  germline: string;
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
  colourBy: ColourBy;
  /** Clusters opened in the list to show their members. */
  expanded: ReadonlySet<string>;
  bottomTab: BottomTab;
  error: string;
  /** Where the result came from when the server opened it; the analysis is saved back there. */
  server: ServerSet | null;
  serverNames: ServerNames | null;
  /** A short confirmation, e.g. "Saved (version 3)". */
  notice: string;
  /** The analysis as last saved on the server: differs from `analysis` when there are unsaved edits. */
  savedAnalysis: Analysis | null;
  /** The server's version of `savedAnalysis` (0: none saved): a save over a newer one is refused. */
  savedVersion: number;
}

export type Listener = (state: ViewState) => void;

/** How the result is named for the user: its patient (or run, or set) and config, else its file. */
export function resultTitle(state: ViewState): string {
  const names = state.serverNames;
  return names ? `${names.setName} · ${names.configName}` : state.sourceName;
}

/**
 * A cache of a value computed from a few inputs, recomputed when they change. It keeps the last
 * few results: undo and redo go back to inputs seen before, and find their views ready.
 */
class Memo<T> {
  private readonly kept: { inputs: readonly unknown[]; value: T }[] = [];

  constructor(private readonly size = 1) {}

  get(inputs: readonly unknown[], compute: () => T): T {
    const index = this.kept.findIndex(
      (item) => item.inputs.length === inputs.length && item.inputs.every((input, i) => input === inputs[i]),
    );
    const found = index >= 0 ? this.kept.splice(index, 1)[0] : undefined;
    const item = found ?? { inputs, value: compute() };
    this.kept.unshift(item);
    this.kept.length = Math.min(this.kept.length, this.size);
    return item.value;
  }
}

/** Best rank first; ties (first in different samples) by their colour order, the larger first. */
function byRank(a: Entry, b: Entry): number {
  if (a.rank !== b.rank) return a.rank < b.rank ? -1 : 1;
  if (a.colourIndex === b.colourIndex) return 0;
  return a.colourIndex < b.colourIndex ? -1 : 1;
}

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
    colourBy: "tag",
    expanded: new Set(),
    bottomTab: "sequences",
    error: "",
    server: null,
    serverNames: null,
    notice: "",
    savedAnalysis: null,
    savedVersion: 0,
  };
  private listeners: Listener[] = [];
  private permanentListeners: Listener[] = [];
  private readonly groups = new Memo<Grouping>(4);
  private readonly allEntries = new Memo<Entry[]>(4);
  private readonly filtered = new Memo<Entry[]>(4);
  /** Sorted per sample: stepping through the samples finds each one's order ready. */
  private readonly shown = new Memo<Entry[]>(16);
  private readonly colours = new Memo<ColourScale>(4);
  private readonly smaller = new Memo<SmallerClonotypes[]>();
  private readonly byId = new Memo<Map<string, Entry>>();
  private readonly byRank = new Memo<Entry[]>();
  /** Undo and redo of the analysis: every curation goes through `curate`. */
  readonly history = new History<Analysis>();

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
    this.history.clear();
    this.update({
      result,
      sourceName,
      server,
      serverNames: null,
      notice: "",
      savedAnalysis: null,
      savedVersion: 0,
      analysis: resultAnalysis(result),
      selection: [],
      sample: 0,
      error: "",
      expanded: new Set(),
      // Clone ids and loci are the file's own: filters naming them start afresh.
      filters: {
        ...this.current.filters,
        focus: null,
        hidden: new Set(),
        hiddenLoci: new Set(),
        search: "",
        hideUntagged: false,
      },
    });
    this.prepareClustering(result);
  }

  /** Makes the clustering keys of every clone in idle time, one kind at a time (a few ms each):
   * the first "cluster by" CDR3, V or J of 10,000 clones then groups keys already made. */
  private prepareClustering(result: VidjilResult): void {
    if (typeof requestIdleCallback !== "function") return;
    const kinds = ["cdr3", "v", "j"] as const;
    const next = (index: number) => {
      const kind = kinds[index];
      if (kind === undefined || this.current.result !== result) return;
      prepareKeys(result.clones, kind);
      requestIdleCallback(() => next(index + 1));
    };
    requestIdleCallback(() => next(0));
  }

  /** Replaces the analysis as one undoable step named by `label` ("merge 3 clones"). */
  curate(label: string, analysis: Analysis, patch: Partial<ViewState> = {}): void {
    this.history.record(label, this.current.analysis, analysis);
    this.update({ ...patch, analysis, notice: "" });
  }

  undo(): void {
    const step = this.history.undo();
    if (step) this.update({ analysis: step.before, notice: `Undone: ${step.label}` });
  }

  redo(): void {
    const step = this.history.redo();
    if (step) this.update({ analysis: step.after, notice: `Redone: ${step.label}` });
  }

  /** All entries (clusters applied); the clustering is redone only when the clusters change. */
  entries(): Entry[] {
    const { result, analysis } = this.current;
    if (result === null) return [];
    const groups = this.groups.get([result, analysis.clusters], () => groupClones(result, analysis.clusters));
    return this.allEntries.get([groups, analysis.names, analysis.tags], () =>
      buildEntries(result, analysis, groups),
    );
  }

  /** Entries passing the filters, in the list's sort order. */
  visible(): Entry[] {
    const { result, sort, sample } = this.current;
    if (result === null) return [];
    const passing = this.passing();
    return this.shown.get([passing, sort, sample], () => sortedEntries(passing, sort, result, sample));
  }

  /** The entries passing the filters, in no particular order: they do not depend on the sample. */
  private passing(): Entry[] {
    const { filters, analysis } = this.current;
    const entries = this.entries();
    return this.filtered.get([entries, filters, analysis.hiddenTags], () =>
      visibleEntries(entries, filters, analysis.hiddenTags),
    );
  }

  /** The shown entries by their best rank, largest first (the graph's curves, the report). */
  ranked(): Entry[] {
    const passing = this.passing();
    return this.byRank.get([passing], () => [...passing].sort(byRank));
  }

  /** The colours of the "colour by" choice, with its legend. */
  colourScale(): ColourScale {
    const { result, colourBy, sample, analysis } = this.current;
    const entries = this.entries();
    const shown = this.passing();
    // Only the abundance depends on the sample: other colourings stay as they are when it changes.
    const bySample = colourBy === "abundance" ? sample : null;
    return this.colours.get([entries, shown, colourBy, bySample, analysis.tagNames], () =>
      colourScale(colourBy, entries, shown, {
        result: result as VidjilResult,
        sample,
        tagNames: analysis.tagNames,
      }),
    );
  }

  colourOf(entry: Entry): string {
    return this.colourScale().colour(entry);
  }

  /** The grey rows per locus that keep the list's shares at 100%. */
  smallerClonotypes(): SmallerClonotypes[] {
    const { result, filters, analysis } = this.current;
    // Hiding the "smaller clonotypes" tag hides them, as in Vidjil.
    if (result === null || analysis.hiddenTags.has(SMALLER_TAG)) return [];
    const shown = this.passing();
    return this.smaller.get([result, shown, filters.hiddenLoci], () =>
      smallerClonotypes(result, shown, filters.hiddenLoci),
    );
  }

  entryById(id: string): Entry | undefined {
    const entries = this.entries();
    return this.byId.get([entries], () => new Map(entries.map((entry) => [entry.id, entry]))).get(id);
  }

  selectedEntries(): Entry[] {
    const byId = { get: (id: string) => this.entryById(id) };
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
