/**
 * The clone list: one row per visible entry with colour, name, locus, V/J, CDR3, reads and %.
 * Keyboard: arrows move, Enter/Space select, Ctrl or Shift adds to the selection.
 */
import {
  displayName,
  type Entry,
  entryColour,
  fraction,
  geneName,
  productivity,
  productivityLabel,
} from "../model/entries";
import type { SortKey } from "../model/filters";
import { formatCount, formatPercent } from "../model/format";
import { tagByIndex } from "../model/tags";
import type { Store } from "./state";
import { h } from "../ui/dom";

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
  container.append(summary, h("div", { class: "list-scroll" }, table));

  body.addEventListener("click", (event) => {
    const row = (event.target as Element).closest<HTMLElement>("tr[data-id]");
    if (row?.dataset.id) store.select(row.dataset.id, event.ctrlKey || event.metaKey || event.shiftKey);
  });
  body.addEventListener("keydown", (event) => onRowKey(event, store));

  store.subscribe(() => {
    const hadFocus = body.contains(document.activeElement);
    const focusedId = (document.activeElement as HTMLElement | null)?.dataset?.id;
    renderHead(head, store);
    renderRows(body, store, summary);
    if (hadFocus && focusedId)
      body.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(focusedId)}"]`)?.focus();
  });
}

function onRowKey(event: KeyboardEvent, store: Store): void {
  const row = (event.target as Element).closest<HTMLElement>("tr[data-id]");
  if (!row?.dataset.id) return;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    const next = event.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling;
    if (next instanceof HTMLElement) {
      row.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
    event.preventDefault();
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

function renderRows(body: HTMLElement, store: Store, summary: HTMLElement): void {
  const { result, selection } = store.state;
  if (result === null) {
    body.replaceChildren();
    summary.textContent = "";
    return;
  }
  const visible = store.visible();
  const total = store.entries().length;
  // Thousands of rows make every redraw slow; past the cap, search or sort to find a clone.
  const entries = visible.slice(0, MAX_ROWS);
  summary.textContent =
    visible.length > MAX_ROWS
      ? `${visible.length} of ${total} clones match; the first ${MAX_ROWS} are listed`
      : `${visible.length} of ${total} clones shown`;
  const rows = entries.map((entry, index) => row(entry, index, store, selection.includes(entry.id)));
  const firstSelected = rows.find((candidate) => candidate.classList.contains("selected")) ?? rows[0];
  if (firstSelected) firstSelected.tabIndex = 0;
  body.replaceChildren(...rows);
}

function warningBadge(entry: Entry): HTMLElement | null {
  const warnings = entry.members.flatMap((member) => member.warnings);
  if (warnings.length === 0) return null;
  const text = warnings.map((warning) => `${warning.code}: ${warning.message}`).join("\n");
  return h(
    "span",
    { class: "clone-badge warning", title: text, "aria-label": `Warning: ${text}` },
    warnings[0]?.code ?? "!",
  );
}

function row(entry: Entry, index: number, store: Store, selected: boolean): HTMLElement {
  const { result, sample } = store.state;
  if (result === null) throw new Error("no result");
  const clone = entry.clone;
  const state = productivity(clone);
  const tag = tagByIndex(entry.tag);
  const reads = entry.reads[sample] ?? 0;
  // The name gives way to its badges: they carry the tag, the merge and the warnings.
  const name = h(
    "td",
    { class: "name" },
    h(
      "div",
      { class: "name-cell" },
      h("span", { class: "swatch", style: `background:${entryColour(entry)}`, "aria-hidden": "true" }),
      h(
        "span",
        { class: entry.customName ? "clone-name custom-name" : "clone-name", title: entry.name },
        displayName(entry),
      ),
      entry.members.length > 1
        ? h("span", { class: "clone-badge", title: "merged clones" }, `+${entry.members.length - 1}`)
        : null,
      tag
        ? h(
            "span",
            {
              class: "clone-badge tag",
              title: tag.name,
              style: `border-color:${tag.colour};color:${tag.colour}`,
            },
            tag.name,
          )
        : null,
      state === "unproductive"
        ? h("span", { class: "clone-badge unproductive", title: productivityLabel(clone) }, "unprod.")
        : null,
      warningBadge(entry),
    ),
  );
  return h(
    "tr",
    {
      "data-id": entry.id,
      class: selected ? "selected" : null,
      "aria-selected": selected ? "true" : "false",
      tabindex: -1,
      "aria-rowindex": index + 1,
    },
    name,
    h("td", {}, clone.locus),
    h("td", { title: clone.v?.name ?? "" }, geneName(clone.v?.name)),
    h("td", { title: clone.j?.name ?? "" }, geneName(clone.j?.name)),
    h("td", { class: "cdr3-aa", title: clone.cdr3?.aa ?? "" }, clone.cdr3?.aa ?? clone.junction?.aa ?? ""),
    h("td", { class: "numeric" }, reads > 0 ? formatCount(reads) : "–"),
    h("td", { class: "numeric" }, formatPercent(fraction(entry, result, sample))),
  );
}
