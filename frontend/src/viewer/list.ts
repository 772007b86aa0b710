/**
 * The clone list: one row per shown entry with colour, name, locus, V/J, CDR3, reads and %; a
 * cluster opens (▸) on its members, each of which can be taken out (✕); below, the grey
 * "smaller clonotypes" of each locus, so that the column of % adds up to 100%. Keyboard: arrows
 * move, → / ← open and close a cluster, Enter/Space select, Ctrl or Shift adds to the selection.
 *
 * Every shown clone is listed, however many: only the rows in view (and a margin) are in the
 * page, between two spacers as tall as the rows left out, so that a result of 10,000 clones
 * scrolls and answers a click as fast as one of 10.
 */
import type { Entry } from "../model/entries";
import { fraction } from "../model/entries";
import type { SortKey } from "../model/filters";
import { formatCount, formatPercent } from "../model/format";
import { type SmallerClonotypes, smallerFraction } from "../model/smaller";
import type { Clone } from "../model/vidjil";
import type { Store } from "./state";
import { h, type KeyedChild, objectId, patchChildren } from "../ui/dom";
import { removeFromCluster } from "./actions";
import { entryRow, memberRow, smallerRow } from "./list-rows";

/** Rows drawn above and below those in view, so that scrolling a little shows no gap. */
const MARGIN_ROWS = 8;
const DEFAULT_ROW_HEIGHT = 24;

type RowModel =
  | { kind: "entry"; entry: Entry; position: number }
  | { kind: "member"; entry: Entry; member: Clone }
  | { kind: "smaller"; row: SmallerClonotypes };

const COLUMNS: { key: SortKey | null; label: string; title: string }[] = [
  { key: "name", label: "Clone", title: "Sort by name" },
  { key: "locus", label: "Locus", title: "Sort by locus" },
  { key: "v", label: "V", title: "Sort by V gene" },
  { key: "j", label: "J", title: "Sort by J gene" },
  { key: "cdr3", label: "CDR3", title: "Sort by CDR3 amino acids" },
  { key: null, label: "V id%", title: "V identity to the closest germline allele; IGH: CLL mutation status" },
  { key: null, label: "Reads", title: "" },
  { key: "size", label: "%", title: "Sort by size in this sample" },
];

class ListView {
  private models: RowModel[] = [];
  private rowHeight = DEFAULT_ROW_HEIGHT;
  private measured = false;
  private window = { first: -1, last: -1 };
  private drawn: readonly unknown[] = [];
  /** The keys of the rows in the page (`rowKey`), spacers included. */
  private shownKeys: string[] = [];
  /** Kept from the scroll and resize events: reading them in a click would force a layout. */
  private scrollTop = 0;
  private viewport = 600;

  constructor(
    private readonly store: Store,
    private readonly scroller: HTMLElement,
    private readonly body: HTMLElement,
  ) {}

  /** Redraws after a change of the store: rows only when what they show changed. */
  update(): void {
    const state = this.store.state;
    const inputs = [
      state.result,
      this.store.visible(),
      state.sample,
      state.expanded,
      this.store.colourScale(),
      this.store.smallerClonotypes(),
      state.analysis.tagNames,
    ];
    // A click that only changes the selection restyles the rows in the page.
    if (inputs.every((input, i) => input === this.drawn[i])) {
      this.markSelection();
      this.revealSelection();
      return;
    }
    this.drawn = inputs;
    this.models = rowModels(this.store);
    this.render(true);
    this.revealSelection();
  }

  clear(): void {
    this.body.replaceChildren();
    this.shownKeys = [];
    this.drawn = [];
  }

  scrolled(): void {
    this.scrollTop = this.scroller.scrollTop;
    this.render();
  }

  resized(height: number): void {
    if (height > 0) this.viewport = height;
    this.render();
  }

  private scrollTo(top: number): void {
    this.scroller.scrollTop = Math.max(0, top);
    this.scrollTop = this.scroller.scrollTop;
    this.render();
  }

  /** Draws the rows in view; `always` redraws them even when the same rows are in view. */
  render(always = false): void {
    const first = Math.max(0, Math.floor(this.scrollTop / this.rowHeight) - MARGIN_ROWS);
    const last = Math.min(
      this.models.length,
      first + Math.ceil(this.viewport / this.rowHeight) + 2 * MARGIN_ROWS,
    );
    if (!always && first === this.window.first && last === this.window.last) return;
    this.window = { first, last };
    const hadFocus = this.body.contains(document.activeElement);
    const focusedId = (document.activeElement as HTMLElement | null)?.dataset?.id;
    const selection = this.store.state.selection;
    const rows: KeyedChild[] = this.models.slice(first, last).map((model, offset) => ({
      key: this.rowKey(model),
      build: () => this.row(model, first + offset, selection),
    }));
    // No spacer when nothing is left out: the first row of the list is then the first clone.
    const above = first > 0 ? [spacer(first * this.rowHeight)] : [];
    const below = last < this.models.length ? [spacer((this.models.length - last) * this.rowHeight)] : [];
    // Rows showing what they showed are left alone; the others take the new rows' content.
    this.shownKeys = patchChildren(this.body, [...above, ...rows, ...below], this.shownKeys);
    this.placeRows(first);
    this.body.parentElement?.setAttribute("aria-rowcount", String(this.models.length));
    if (hadFocus && focusedId) {
      const focused = this.rowOf(focusedId);
      // The focused row's element may now show another clone: the focus does not follow it.
      if (focused) focused.focus();
      else (document.activeElement as HTMLElement | null)?.blur();
    }
    this.measureRows();
  }

  /**
   * Everything a row's content depends on but its place and the selection (`placeRows`): what it
   * shows, not which object it comes from, so that a row left as it was by a clustering or an
   * undo (new entries, same clone) is not redrawn.
   */
  private rowKey(model: RowModel): string {
    const { sample, expanded, analysis, result } = this.store.state;
    const shared = `${sample} ${objectId(analysis.tagNames)} ${objectId(result ?? {})}`;
    if (model.kind === "smaller") return `smaller ${model.row.locus} ${model.row.reads[sample]} ${shared}`;
    const entry = model.entry;
    if (model.kind === "member") return `member ${entry.id} ${objectId(model.member)} ${shared}`;
    const members =
      entry.members.length === 1 ? "" : entry.members.map((member) => objectId(member)).join(",");
    return [
      "entry",
      objectId(entry.clone),
      members,
      entry.name,
      entry.customName,
      entry.tag,
      entry.reads[sample],
      expanded.has(entry.id),
      this.store.colourOf(entry),
      shared,
    ].join("\u0001");
  }

  /** Numbers the rows from `first` and marks the selection; one row takes the Tab key. */
  private placeRows(first: number): void {
    let index = first;
    for (const row of this.body.querySelectorAll<HTMLElement>("tr:not(.spacer)")) {
      setAttributeIfChanged(row, "aria-rowindex", String(index + 1));
      setAttributeIfChanged(row, "data-index", String(index));
      index++;
    }
    this.markSelection();
    const rows = [...this.body.querySelectorAll<HTMLElement>("tr[data-id]")];
    const focusable = rows.find((row) => row.classList.contains("selected")) ?? rows[0];
    for (const row of rows) setAttributeIfChanged(row, "tabindex", row === focusable ? "0" : "-1");
  }

  private row(model: RowModel, index: number, selection: readonly string[]): HTMLElement {
    const element =
      model.kind === "entry"
        ? entryRow(model.entry, model.position, this.store, selection.includes(model.entry.id))
        : model.kind === "member"
          ? memberRow(model.entry, model.member, this.store)
          : smallerRow(model.row, this.store);
    element.setAttribute("aria-rowindex", String(index + 1));
    element.dataset.index = String(index);
    return element;
  }

  /** The rows' real height, once drawn: the spacers must match it. */
  private measureRows(): void {
    if (this.measured || this.body.querySelector("tr[data-id]") === null) return;
    this.measured = true;
    requestAnimationFrame(() => {
      const height = this.body.querySelector("tr[data-id]")?.getBoundingClientRect().height ?? 0;
      if (height > 10 && Math.abs(height - this.rowHeight) > 0.5) {
        this.rowHeight = height;
        this.render(true);
      }
    });
  }

  rowOf(id: string): HTMLElement | null {
    return this.body.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(id)}"]`);
  }

  private markSelection(): void {
    const selected = new Set(this.store.state.selection);
    for (const row of this.body.querySelectorAll<HTMLElement>("tr[data-id]")) {
      const on = selected.has(row.dataset.id ?? "");
      if (row.classList.contains("selected") !== on) row.classList.toggle("selected", on);
      setAttributeIfChanged(row, "aria-selected", on ? "true" : "false");
    }
  }

  /** A clone selected in the grid or the graph, far in the list, is scrolled into view. */
  private revealSelection(): void {
    const id = this.store.state.selection[0];
    // Rows in the page (in view or in the margin) need no scrolling.
    if (id === undefined || this.rowOf(id) !== null) return;
    const index = this.models.findIndex((model) => model.kind === "entry" && model.entry.id === id);
    if (index >= 0) this.scrollTo(index * this.rowHeight - this.viewport / 3);
  }

  /** Moves the focus `step` selectable rows away, scrolling it into view first. */
  moveFocus(from: HTMLElement, step: number): void {
    let index = Number(from.dataset.index) + step;
    while (index >= 0 && index < this.models.length && this.models[index]?.kind !== "entry") index += step;
    const model = this.models[index];
    if (model?.kind !== "entry") return;
    const top = index * this.rowHeight;
    if (top < this.scrollTop + this.rowHeight || top > this.scrollTop + this.viewport - 2 * this.rowHeight) {
      this.scrollTo(top - this.viewport / 2);
    }
    const next = this.rowOf(model.entry.id);
    if (next === null) return;
    from.tabIndex = -1;
    next.tabIndex = 0;
    next.focus({ preventScroll: true });
  }
}

function spacer(height: number): KeyedChild {
  return {
    key: `spacer ${height}`,
    build: () =>
      h(
        "tr",
        { class: "spacer", "aria-hidden": "true" },
        h("td", { colspan: COLUMNS.length, style: `height:${height}px` }),
      ),
  };
}

function setAttributeIfChanged(element: Element, name: string, value: string): void {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

/** Every row the list may show, in order: entries (with the members of open clusters), then the
 * smaller clonotypes. */
function rowModels(store: Store): RowModel[] {
  const { expanded } = store.state;
  const models: RowModel[] = [];
  store.visible().forEach((entry, position) => {
    models.push({ kind: "entry", entry, position });
    if (expanded.has(entry.id) && entry.members.length > 1) {
      for (const member of entry.members) models.push({ kind: "member", entry, member });
    }
  });
  for (const row of store.smallerClonotypes()) models.push({ kind: "smaller", row });
  return models;
}

export function mountList(container: HTMLElement, store: Store): void {
  const body = h("tbody");
  const head = h("thead");
  const table = h(
    "table",
    { class: "clone-list", role: "grid", "aria-label": "Clones", "aria-multiselectable": "true" },
    head,
    body,
  );
  const summary = h("p", { class: "list-summary", "aria-live": "polite" });
  const total = h("p", { class: "list-total", "data-testid": "list-total" });
  const scroller = h("div", { class: "list-scroll" }, table);
  container.append(h("div", { class: "list-head" }, summary), scroller, total);
  const view = new ListView(store, scroller, body);

  body.addEventListener("click", (event) => onClick(event, store));
  body.addEventListener("keydown", (event) => onRowKey(event, store, view));
  scroller.addEventListener("scroll", () => view.scrolled(), { passive: true });
  new ResizeObserver((records) => view.resized(records.at(-1)?.contentRect.height ?? 0)).observe(scroller);

  let sorted: unknown = null;
  store.subscribe((state) => {
    if (state.result === null) {
      view.clear();
      summary.textContent = total.textContent = "";
      return;
    }
    if (sorted !== state.sort || head.childElementCount === 0) {
      sorted = state.sort;
      renderHead(head, store);
    }
    view.update();
    const visible = store.visible();
    summary.textContent = `${formatCount(visible.length)} of ${formatCount(store.entries().length)} clones shown`;
    total.textContent = totalText(visible, store, state.sample);
    total.title = "Clones shown plus the smaller clonotypes, in the segmented reads of this sample";
  });
}

function onClick(event: MouseEvent, store: Store): void {
  const target = event.target as Element;
  const remove = target.closest<HTMLElement>("[data-remove]");
  if (remove?.dataset.remove) {
    removeFromCluster(store, remove.dataset.remove);
    return;
  }
  const toggle = target.closest<HTMLElement>("[data-toggle]");
  if (toggle?.dataset.toggle) {
    toggleCluster(store, toggle.dataset.toggle);
    return;
  }
  const row = target.closest<HTMLElement>("tr[data-id]");
  if (row?.dataset.id) store.select(row.dataset.id, event.ctrlKey || event.metaKey || event.shiftKey);
}

export function toggleCluster(store: Store, id: string, open?: boolean): void {
  const expanded = new Set(store.state.expanded);
  const opening = open ?? !expanded.has(id);
  if (opening === expanded.has(id)) return;
  if (opening) expanded.add(id);
  else expanded.delete(id);
  store.update({ expanded });
}

function onRowKey(event: KeyboardEvent, store: Store, view: ListView): void {
  const row = (event.target as Element).closest<HTMLElement>("tr[data-id]");
  if (!row?.dataset.id) return;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    view.moveFocus(row, event.key === "ArrowDown" ? 1 : -1);
    event.preventDefault();
  } else if ((event.key === "ArrowRight" || event.key === "ArrowLeft") && row.dataset.cluster) {
    toggleCluster(store, row.dataset.id, event.key === "ArrowRight");
    event.preventDefault();
    event.stopPropagation();
  } else if (event.key === "Enter" || event.key === " ") {
    store.select(row.dataset.id, event.ctrlKey || event.metaKey || event.shiftKey);
    event.preventDefault();
  }
}

function renderHead(head: HTMLElement, store: Store): void {
  const { sort, result, sample } = store.state;
  const sampleName = result?.samples[sample]?.name ?? "";
  const cells = COLUMNS.map((column) => {
    if (column.key === null) {
      return h("th", { scope: "col", class: "numeric", title: column.title || null }, column.label);
    }
    const key = column.key;
    const active = sort.key === key;
    const button = h(
      "button",
      {
        type: "button",
        class: "sort",
        title: column.key === "size" ? `${column.title} (${sampleName})` : column.title,
      },
      column.label,
      active ? (sort.descending ? " ▼" : " ▲") : "",
    );
    button.addEventListener("click", () => {
      const descending = active ? !sort.descending : key === "size";
      store.update({ sort: { key, descending } });
    });
    return h(
      "th",
      {
        scope: "col",
        class: key === "size" ? "numeric" : null,
        "aria-sort": active ? (sort.descending ? "descending" : "ascending") : null,
      },
      button,
    );
  });
  head.replaceChildren(h("tr", {}, ...cells));
}

function totalText(visible: readonly Entry[], store: Store, sample: number): string {
  const result = store.state.result;
  if (result === null) return "";
  const clones = visible.reduce((sum, entry) => sum + fraction(entry, result, sample), 0);
  const smaller = store
    .smallerClonotypes()
    .reduce((sum, row) => sum + smallerFraction(row, result, sample), 0);
  const segmented = result.samples[sample]?.segmentedReads ?? 0;
  const reads = Math.round((clones + smaller) * segmented);
  return `Total ${formatPercent(clones + smaller)} of the segmented reads (${formatCount(reads)}): clones shown ${formatPercent(clones)}, smaller clonotypes ${formatPercent(smaller)}`;
}
