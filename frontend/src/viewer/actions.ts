/** Curation of the selection: rename, tag, merge and split, kept in the analysis layer. */
import { merged, renamed, split, tagged } from "../model/analysis";
import { TAGS } from "../model/tags";
import type { Store } from "./state";
import { h } from "../ui/dom";

export function mountActions(container: HTMLElement, store: Store): void {
  const count = h("span", { class: "selection-count", "aria-live": "polite" });
  const name = h("input", {
    type: "text",
    id: "rename",
    "aria-label": "New name of the selected clone",
    placeholder: "New name",
  });
  const rename = h("button", { type: "button" }, "Rename");
  const tag = h(
    "select",
    { id: "tag", "aria-label": "Tag the selected clones" },
    h("option", { value: "" }, "Tag…"),
    h("option", { value: "none" }, "no tag"),
    ...TAGS.map((item) => h("option", { value: item.index }, item.name)),
  );
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
    store.update({ analysis: renamed(store.state.analysis, id, name.value) });
  };
  rename.addEventListener("click", doRename);
  name.addEventListener("keydown", (event) => {
    if (event.key === "Enter") doRename();
  });
  tag.addEventListener("change", () => {
    if (tag.value === "") return;
    const value = tag.value === "none" ? null : Number(tag.value);
    store.update({ analysis: tagged(store.state.analysis, store.state.selection, value) });
    tag.value = "";
  });
  merge.addEventListener("click", () => mergeSelection(store));
  unmerge.addEventListener("click", () => {
    store.update({ analysis: split(store.state.analysis, store.state.selection) });
  });
  clear.addEventListener("click", () => store.update({ selection: [] }));
  focus.addEventListener("click", () => focusSelection(store));
  hide.addEventListener("click", () => hideSelection(store));
  container.append(count, clear, name, rename, tag, merge, unmerge, focus, hide);

  store.subscribe((state) => {
    const selected = store.selectedEntries();
    container.hidden = state.result === null;
    count.textContent = selected.length === 0 ? "No clone selected" : `${selected.length} selected`;
    const single = selected.length === 1 ? selected[0] : undefined;
    name.disabled = rename.disabled = single === undefined;
    if (document.activeElement !== name) name.value = single?.customName ? single.name : "";
    tag.disabled = clear.disabled = focus.disabled = hide.disabled = selected.length === 0;
    merge.disabled = selected.length < 2;
    unmerge.disabled = !selected.some((entry) => entry.members.length > 1);
  });
}

export function mergeSelection(store: Store): void {
  if (store.state.selection.length < 2) return;
  const first = store.state.selection[0] as string;
  store.update({ analysis: merged(store.state.analysis, store.state.selection), selection: [first] });
}

export function focusSelection(store: Store): void {
  if (store.state.selection.length === 0) return;
  store.update({ filters: { ...store.state.filters, focus: new Set(store.state.selection) } });
}

export function hideSelection(store: Store): void {
  if (store.state.selection.length === 0) return;
  const hidden = new Set([...store.state.filters.hidden, ...store.state.selection]);
  store.update({ filters: { ...store.state.filters, hidden }, selection: [] });
}
