/**
 * Curation of the selection: rename, tag, merge, split, cluster automatically, kept in the
 * analysis layer. Each is one undoable step (`Store.curate`); focus and hide only change the view.
 */
import { mergedGroups, renamed, split, tagged, withoutMembers } from "../model/analysis";
import { CLUSTER_KEYS, type ClusterKey, clusterGroups } from "../model/clustering";
import type { Entry } from "../model/entries";
import { formatCount } from "../model/format";
import { visibleEntries } from "../model/filters";
import { TAGS, tagName } from "../model/tags";
import type { Store } from "./state";
import { h } from "../ui/dom";
import { closeMenuOnEscape } from "./menus";

/** Mounts the curation bar; the selection's count and its ✕ go in `selectionSlot` (the list's head). */
export function mountActions(container: HTMLElement, selectionSlot: HTMLElement, store: Store): void {
  const count = h("span", { class: "selection-count", "aria-live": "polite" });
  const name = h("input", {
    type: "text",
    id: "rename",
    "aria-label": "New name of the selected clone",
    placeholder: "New name",
  });
  const rename = h(
    "button",
    { type: "button", "aria-label": "Rename", title: "Rename the selected clone (Enter)" },
    "✎",
  );
  const tag = h("select", { id: "tag", "aria-label": "Tag the selected clones" });
  const merge = h(
    "button",
    { type: "button", title: "Merge the selected clones into the first one selected (+)" },
    "Merge",
  );
  const unmerge = h("button", { type: "button", title: "Split the selected merged clones" }, "Split");
  const focus = h("button", { type: "button", title: "Show only the selected clones (z)" }, "Focus");
  const hide = h("button", { type: "button", title: "Hide the selected clones (Shift+Z)" }, "Hide");
  const clear = h(
    "button",
    {
      type: "button",
      class: "clear",
      title: "Clear the selection (Esc)",
      "aria-label": "Clear the selection",
    },
    "✕",
  );

  const doRename = () => {
    const id = store.state.selection[0];
    if (id === undefined) return;
    store.curate("rename a clone", renamed(store.state.analysis, id, name.value));
  };
  rename.addEventListener("click", doRename);
  name.addEventListener("keydown", (event) => {
    if (event.key === "Enter") doRename();
  });
  tag.addEventListener("change", () => {
    if (tag.value === "") return;
    const value = tag.value === "none" ? null : Number(tag.value);
    const { analysis, selection } = store.state;
    const what = value === null ? "untag" : `tag as ${tagName(value, analysis.tagNames)}`;
    store.curate(`${what} (${plural(selection.length, "clone")})`, tagged(analysis, selection, value));
    tag.value = "";
  });
  merge.addEventListener("click", () => mergeSelection(store));
  unmerge.addEventListener("click", () => {
    const clusters = store.selectedEntries().filter((entry) => entry.members.length > 1).length;
    store.curate(`split ${plural(clusters, "cluster")}`, split(store.state.analysis, store.state.selection));
  });
  clear.addEventListener("click", () => store.update({ selection: [] }));
  focus.addEventListener("click", () => focusSelection(store));
  hide.addEventListener("click", () => hideSelection(store));
  selectionSlot.append(count, clear);
  container.append(name, rename, tag, merge, unmerge, clusterMenu(store), focus, hide);

  let tagNames: ReadonlyMap<number, string> | null = null;
  store.subscribe((state) => {
    const selected = store.selectedEntries();
    container.hidden = selectionSlot.hidden = state.result === null;
    count.textContent = selected.length === 0 ? "No clone selected" : `${selected.length} selected`;
    const single = selected.length === 1 ? selected[0] : undefined;
    name.disabled = rename.disabled = single === undefined;
    if (document.activeElement !== name) name.value = single?.customName ? single.name : "";
    tag.disabled = clear.disabled = focus.disabled = hide.disabled = selected.length === 0;
    merge.disabled = selected.length < 2;
    unmerge.disabled = !selected.some((entry) => entry.members.length > 1);
    if (tagNames !== state.analysis.tagNames) {
      tagNames = state.analysis.tagNames;
      tag.replaceChildren(
        h("option", { value: "" }, "Tag…"),
        h("option", { value: "none" }, "no tag"),
        ...TAGS.map((item) =>
          h("option", { value: item.index }, tagName(item.index, state.analysis.tagNames)),
        ),
      );
    }
  });
}

export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? "" : "s"}`;
}

/** What clustering works on: the selection when it holds two clones or more, else every clone
 * the filters let through at any rank (clustering is how small variants join their clone). */
function clusteringScope(store: Store): Entry[] {
  const selected = store.selectedEntries();
  if (selected.length >= 2) return selected;
  const { filters, analysis } = store.state;
  return visibleEntries(store.entries(), { ...filters, topN: 0 }, analysis.hiddenTags);
}

export function clusterBy(store: Store, key: ClusterKey): void {
  const scope = clusteringScope(store);
  const groups = clusterGroups(scope, key);
  const label = CLUSTER_KEYS.find((item) => item.key === key)?.label ?? key;
  if (groups.length === 0) {
    store.update({ notice: `No clones to cluster by ${label}` });
    return;
  }
  const joined = groups.reduce((sum, group) => sum + group.length, 0);
  store.curate(
    `cluster by ${label}: ${plural(joined, "clone")} into ${plural(groups.length, "cluster")}`,
    mergedGroups(store.state.analysis, groups),
    // A clone absorbed into another's cluster leaves the selection; representatives stay.
    { selection: store.state.selection.filter((id) => !groups.some((group) => group.indexOf(id) > 0)) },
  );
}

/** Vidjil's cluster menu: by V, J, CDR3, similar CDR3, locus; and break every cluster. */
function clusterMenu(store: Store): HTMLElement {
  const menu = h("details", { class: "menu cluster-menu" }, h("summary", { class: "button" }, "Cluster ▾"));
  const scope = h("p", { class: "menu-note" });
  const items = h("div", { class: "menu-items", role: "menu" }, scope);
  for (const { key, label } of CLUSTER_KEYS) {
    const item = h("button", { type: "button", role: "menuitem", "data-cluster": key }, `by ${label}`);
    item.addEventListener("click", () => {
      menu.open = false;
      clusterBy(store, key);
    });
    items.append(item);
  }
  const breakAll = h("button", { type: "button", role: "menuitem" }, "Break every cluster");
  breakAll.addEventListener("click", () => {
    menu.open = false;
    const count = store.state.analysis.clusters.length;
    store.curate(`break ${plural(count, "cluster")}`, { ...store.state.analysis, clusters: [] });
  });
  items.append(h("hr"), breakAll);
  menu.append(items);
  closeMenuOnEscape(menu);
  menu.addEventListener("toggle", () => {
    if (!menu.open) return;
    const selected = store.state.selection.length;
    scope.textContent =
      selected >= 2
        ? `Cluster the ${selected} selected clones by:`
        : `Cluster the ${plural(clusteringScope(store).length, "clone")} of the shown loci by:`;
    items.querySelector<HTMLButtonElement>("button")?.focus();
  });
  return menu;
}

export function mergeSelection(store: Store): void {
  const { selection, analysis } = store.state;
  if (selection.length < 2) return;
  const first = selection[0] as string;
  store.curate(`merge ${plural(selection.length, "clone")}`, mergedGroups(analysis, [selection]), {
    selection: [first],
  });
}

/** Takes one clone out of its cluster (Vidjil's ✕ on a cluster member). */
export function removeFromCluster(store: Store, id: string): void {
  store.curate(`take ${id} out of its cluster`, withoutMembers(store.state.analysis, [id]));
}

export function focusSelection(store: Store): void {
  if (store.state.selection.length === 0) {
    store.update({ filters: { ...store.state.filters, focus: null } });
    return;
  }
  store.update({ filters: { ...store.state.filters, focus: new Set(store.state.selection) } });
}

export function hideSelection(store: Store): void {
  if (store.state.selection.length === 0) {
    store.update({ filters: { ...store.state.filters, hidden: new Set() } });
    return;
  }
  const hidden = new Set([...store.state.filters.hidden, ...store.state.selection]);
  store.update({ filters: { ...store.state.filters, hidden }, selection: [] });
}
