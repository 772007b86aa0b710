/**
 * The Tags menu, beside the filters: Vidjil's thirteen tags with their colour, their name in this
 * analysis (the lab renames them: "ALL clone", "spike A"), how many clones carry each, and whether
 * their clones are shown. Names and hidden tags are saved in the `.analysis` and undoable; "only"
 * shows one tag's clones and hides the untagged ones (a view filter, like the others).
 */
import { renamedTag, withTagHidden } from "../model/analysis";
import { TAGS, tagName } from "../model/tags";
import type { Store } from "./state";
import { h } from "../ui/dom";
import { closeMenuOnEscape } from "./menus";

export function tagsMenu(store: Store): HTMLElement {
  const summary = h("summary", { class: "button" }, "Tags ▾");
  const body = h("tbody");
  const untagged = h("input", { type: "checkbox", id: "show-untagged" });
  untagged.addEventListener("change", () =>
    store.update({ filters: { ...store.state.filters, hideUntagged: !untagged.checked } }),
  );
  const showAll = h("button", { type: "button" }, "Show every tag");
  showAll.addEventListener("click", () => {
    const hidden = [...store.state.analysis.hiddenTags];
    let analysis = store.state.analysis;
    for (const tag of hidden) analysis = withTagHidden(analysis, tag, false);
    store.curate("show every tag", analysis, { filters: { ...store.state.filters, hideUntagged: false } });
  });
  const items = h(
    "div",
    { class: "menu-items tags-menu", role: "dialog", "aria-label": "Tags" },
    h(
      "table",
      { class: "tags-table" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, "Tag (type a name to rename it)"),
          h("th", { scope: "col", class: "numeric" }, "Clones"),
          h("th", { scope: "col" }, "Shown"),
          h("th", { scope: "col" }),
        ),
      ),
      body,
    ),
    h("label", { class: "check" }, untagged, " show untagged clones"),
    showAll,
  );
  const menu = h("details", { class: "menu tags" }, summary, items);
  closeMenuOnEscape(menu);
  let drawn: readonly unknown[] = [];
  store.subscribe((state) => {
    menu.hidden = state.result === null;
    untagged.checked = !state.filters.hideUntagged;
    const hidden = state.analysis.hiddenTags.size + (state.filters.hideUntagged ? 1 : 0);
    summary.textContent = hidden > 0 ? `Tags (${hidden} hidden) ▾` : "Tags ▾";
    const entries = store.entries();
    const inputs = [entries, state.analysis.tagNames, state.analysis.hiddenTags];
    if (inputs.every((input, i) => input === drawn[i])) return;
    drawn = inputs;
    const counts = new Map<number, number>();
    for (const entry of entries)
      if (entry.tag !== null) counts.set(entry.tag, (counts.get(entry.tag) ?? 0) + 1);
    body.replaceChildren(...TAGS.map((tag) => tagRow(tag.index, counts.get(tag.index) ?? 0, store)));
  });
  return menu;
}

function tagRow(index: number, count: number, store: Store): HTMLElement {
  const { analysis } = store.state;
  const tag = TAGS.find((item) => item.index === index);
  const name = h("input", {
    type: "text",
    value: tagName(index, analysis.tagNames),
    "aria-label": `Name of the tag ${tagName(index, new Map())}`,
    "data-tag-name": index,
  });
  const commit = () => {
    if (name.value.trim() === tagName(index, store.state.analysis.tagNames)) return;
    store.curate(`rename a tag as ${name.value.trim()}`, renamedTag(store.state.analysis, index, name.value));
  };
  name.addEventListener("change", commit);
  name.addEventListener("keydown", (event) => {
    if (event.key === "Enter") commit();
  });
  const shown = h("input", {
    type: "checkbox",
    checked: !analysis.hiddenTags.has(index),
    "aria-label": `Show the clones tagged ${tagName(index, analysis.tagNames)}`,
    "data-tag-shown": index,
  });
  shown.addEventListener("change", () => {
    const label = `${shown.checked ? "show" : "hide"} the tag ${tagName(index, store.state.analysis.tagNames)}`;
    store.curate(label, withTagHidden(store.state.analysis, index, !shown.checked));
  });
  const only = h(
    "button",
    { type: "button", title: `Show only the clones tagged ${tagName(index, analysis.tagNames)}` },
    "only",
  );
  only.addEventListener("click", () => {
    let next = store.state.analysis;
    for (const other of TAGS) next = withTagHidden(next, other.index, other.index !== index);
    store.curate(`show only the tag ${tagName(index, next.tagNames)}`, next, {
      filters: { ...store.state.filters, hideUntagged: true },
    });
  });
  return h(
    "tr",
    {},
    h(
      "td",
      { class: "tag-name" },
      h("span", { class: "swatch", style: `background:${tag?.colour ?? "#999"}`, "aria-hidden": "true" }),
      name,
    ),
    h("td", { class: "numeric" }, String(count)),
    h("td", {}, shown),
    h("td", {}, only),
  );
}
