/**
 * The clone list: one row per shown entry with colour, name, locus, V/J, CDR3, reads and %; a
 * cluster opens (▸) on its members, each of which can be taken out (✕); below, the grey
 * "smaller clonotypes" of each locus, so that the column of % adds up to 100%. Keyboard: arrows
 * move, → / ← open and close a cluster, Enter/Space select, Ctrl or Shift adds to the selection.
 */
import type { Entry } from "../model/entries";
import { fraction } from "../model/entries";
import type { SortKey } from "../model/filters";
import { formatCount, formatPercent } from "../model/format";
import { smallerFraction } from "../model/smaller";
import type { Store } from "./state";
import { h } from "../ui/dom";
import { removeFromCluster } from "./actions";
import { entryRow, memberRow, smallerRow } from "./list-rows";

const MAX_ROWS = 500;

const COLUMNS: { key: SortKey | null; label: string; title: string }[] = [
  { key: "name", label: "Clone", title: "Sort by name" },
  { key: "locus", label: "Locus", title: "Sort by locus" },
  { key: "v", label: "V", title: "Sort by V gene" },
  { key: "j", label: "J", title: "Sort by J gene" },
  { key: "cdr3", label: "CDR3", title: "Sort by CDR3 amino acids" },
  { key: null, label: "Reads", title: "" },
  { key: "size", label: "%", title: "Sort by size in this sample" },
];

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
  container.append(
    h("div", { class: "list-head" }, summary),
    h("div", { class: "list-scroll" }, table),
    total,
  );

  body.addEventListener("click", (event) => onClick(event, store));
  body.addEventListener("keydown", (event) => onRowKey(event, store));

  let drawn: readonly unknown[] = [];
  store.subscribe((state) => {
    const hadFocus = body.contains(document.activeElement);
    const focusedId = (document.activeElement as HTMLElement | null)?.dataset?.id;
    const inputs = [
      state.result,
      store.visible(),
      state.sample,
      state.expanded,
      store.colourScale(),
      state.sort,
    ];
    // A click that only changes the selection restyles the rows: no redraw of 500 rows.
    if (inputs.every((input, i) => input === drawn[i])) {
      markSelection(body, state.selection);
      return;
    }
    drawn = inputs;
    renderHead(head, store);
    renderRows(body, store, summary, total);
    if (hadFocus && focusedId)
      body.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(focusedId)}"]`)?.focus();
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

function markSelection(body: HTMLElement, selection: readonly string[]): void {
  const selected = new Set(selection);
  for (const row of body.querySelectorAll<HTMLElement>("tr[data-id]")) {
    const on = selected.has(row.dataset.id ?? "");
    row.classList.toggle("selected", on);
    row.setAttribute("aria-selected", on ? "true" : "false");
  }
}

function onRowKey(event: KeyboardEvent, store: Store): void {
  const row = (event.target as Element).closest<HTMLElement>("tr[data-id]");
  if (!row?.dataset.id) return;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    let next = event.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling;
    // Member and smaller-clonotype rows are not selectable: move over them.
    while (next instanceof HTMLElement && !next.dataset.id) {
      next = event.key === "ArrowDown" ? next.nextElementSibling : next.previousElementSibling;
    }
    if (next instanceof HTMLElement) {
      row.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
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
    if (column.key === null) return h("th", { scope: "col", class: "numeric" }, column.label);
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

function renderRows(body: HTMLElement, store: Store, summary: HTMLElement, total: HTMLElement): void {
  const { result, selection, sample, expanded } = store.state;
  if (result === null) {
    body.replaceChildren();
    summary.textContent = total.textContent = "";
    return;
  }
  const visible = store.visible();
  const count = store.entries().length;
  // Thousands of rows make every redraw slow; past the cap, search or sort to find a clone.
  const entries = visible.slice(0, MAX_ROWS);
  summary.textContent =
    visible.length > MAX_ROWS
      ? `${visible.length} of ${count} clones match; the first ${MAX_ROWS} are listed`
      : `${visible.length} of ${count} clones shown`;
  const rows: HTMLElement[] = [];
  entries.forEach((entry, index) => {
    rows.push(entryRow(entry, index, store, selection.includes(entry.id)));
    if (expanded.has(entry.id) && entry.members.length > 1) {
      for (const member of entry.members) rows.push(memberRow(entry, member, store));
    }
  });
  const smaller = store.smallerClonotypes();
  for (const row of smaller) rows.push(smallerRow(row, store));
  const firstSelected = rows.find((candidate) => candidate.classList.contains("selected")) ?? rows[0];
  if (firstSelected) firstSelected.tabIndex = 0;
  body.replaceChildren(...rows);
  total.textContent = totalText(visible, store, sample);
  total.title = "Clones shown plus the smaller clonotypes, in the segmented reads of this sample";
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
