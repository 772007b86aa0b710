/** The top bar (open a file, pick the sample, export) and the filters above the clone list. */
import { resultTitle, type Store } from "./state";
import { formatCount, formatPercent } from "../model/format";
import { h } from "../ui/dom";
import { loadFiles } from "./loader";
import { exportMenu } from "./exports-menu";
import { saveControls } from "./save-analysis";
import { tagsMenu } from "./tags-menu";

export const TOP_CHOICES = [5, 10, 20, 50, 100, 0];

export function mountToolbar(container: HTMLElement, store: Store): void {
  const picker = h("input", {
    type: "file",
    id: "open-file",
    accept: ".vidjil,.json,.analysis",
    multiple: true,
    class: "visually-hidden",
  });
  picker.addEventListener("change", () => {
    void loadFiles(store, [...(picker.files ?? [])]);
    picker.value = "";
  });
  const openLabel = h(
    "label",
    { for: "open-file", class: "button primary", tabindex: 0, role: "button" },
    "Open file…",
  );
  openLabel.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      picker.click();
    }
  });
  const source = h("span", { class: "source", "data-testid": "source-name" });
  // Results opened from the server lead back to their set's page.
  const backToSet = h("a", { class: "button", href: "#/home" }, "← Set");
  const reportLink = h("a", { href: "#/report", class: "button report-link" }, "Report");

  const sample = h("select", { id: "sample", "aria-label": "Sample" });
  sample.addEventListener("change", () => store.update({ sample: Number(sample.value) }));
  const previous = h(
    "button",
    { type: "button", "aria-label": "Previous sample", title: "Previous sample (←)" },
    "◀",
  );
  const next = h("button", { type: "button", "aria-label": "Next sample", title: "Next sample (→)" }, "▶");
  previous.addEventListener("click", () => stepSample(store, -1));
  next.addEventListener("click", () => stepSample(store, 1));

  const readsInfo = h("span", { class: "reads-info", "data-testid": "sample-reads" });
  const sampleGroup = h("span", { class: "group sample-group" }, previous, sample, next, readsInfo);
  const save = saveControls(store);
  const undo = undoButtons(store);
  // The notes ("Undone: ...") fill the room left: their text never wraps the toolbar onto a
  // second line, which would resize and redraw every view below.
  const notes = h("span", { class: "toolbar-notes" }, undo.notice);
  container.append(
    h(
      "a",
      { class: "brand", href: "#/home", title: "Patients, runs and sets (log in)" },
      "Vidjil",
      h("span", {}, " local"),
    ),
    backToSet,
    openLabel,
    picker,
    source,
    sampleGroup,
    notes,
    undo.buttons,
    reportLink,
    save.slot,
    exportMenu(store),
  );

  store.subscribe((state) => {
    const result = state.result;
    source.textContent = resultTitle(state);
    source.title = state.serverNames
      ? `${resultTitle(state)} (set ${state.server?.setId}, config ${state.server?.configId})`
      : state.sourceName;
    backToSet.hidden = state.server === null;
    if (state.server) backToSet.setAttribute("href", `#/set?id=${state.server.setId}`);
    sampleGroup.hidden = reportLink.hidden = result === null;
    if (result === null) return;
    const sampleNames = result.samples.map((item) => item.name);
    if (
      sample.options.length !== sampleNames.length ||
      [...sample.options].some((option, i) => option.text !== sampleNames[i])
    ) {
      sample.replaceChildren(...sampleNames.map((name, index) => h("option", { value: index }, name)));
    }
    sample.value = String(state.sample);
    const current = result.samples[state.sample];
    if (current) {
      const total = current.totalReads ?? current.segmentedReads;
      readsInfo.textContent = `${formatCount(current.segmentedReads)} of ${formatCount(total)} reads segmented (${formatPercent(total ? current.segmentedReads / total : 0)})`;
      readsInfo.title = `${current.originalName}${current.timestamp ? `, ${current.timestamp}` : ""}`;
    }
    const order = sampleOrder(store);
    previous.disabled = order.indexOf(state.sample) <= 0;
    next.disabled = order.indexOf(state.sample) >= order.length - 1;
  });
}

/** Search and filters, above the clone list: they decide what every view shows. */
export function mountFilters(container: HTMLElement, store: Store): void {
  const search = h("input", {
    type: "search",
    id: "search",
    placeholder: "Search by name, CDR3 (aa) or DNA sequence   [ / ]",
    "aria-label": "Search clones by name, CDR3 or sequence",
  });
  search.addEventListener("input", () =>
    store.update({ filters: { ...store.state.filters, search: search.value } }),
  );

  const top = h("select", { id: "top-n", "aria-label": "Show top clones" });
  for (const choice of TOP_CHOICES)
    top.append(h("option", { value: choice }, choice === 0 ? "all clones" : `top ${choice}`));
  top.addEventListener("change", () =>
    store.update({ filters: { ...store.state.filters, topN: Number(top.value) } }),
  );

  const productive = h("input", { type: "checkbox", id: "productive-only" });
  productive.addEventListener("change", () =>
    store.update({ filters: { ...store.state.filters, productiveOnly: productive.checked } }),
  );

  const loci = h("fieldset", { class: "loci" }, h("legend", { class: "visually-hidden" }, "Loci"));
  const focused = h("button", { type: "button", class: "chip active", title: "Show all clones again" });
  focused.addEventListener("click", () => store.update({ filters: { ...store.state.filters, focus: null } }));
  const hidden = h("button", { type: "button", class: "chip active", title: "Show the hidden clones again" });
  hidden.addEventListener("click", () =>
    store.update({ filters: { ...store.state.filters, hidden: new Set() } }),
  );
  container.append(
    h("div", { class: "filter-row search-row" }, search, tagsMenu(store)),
    h(
      "div",
      { class: "filter-row" },
      top,
      h("label", { class: "check" }, productive, " productive only"),
      loci,
      focused,
      hidden,
    ),
  );
  let lociDrawn: readonly unknown[] = [];
  store.subscribe((state) => {
    top.value = String(state.filters.topN);
    productive.checked = state.filters.productiveOnly;
    if (search.value !== state.filters.search) search.value = state.filters.search;
    const { focus, hidden: hiddenIds } = state.filters;
    focused.hidden = focus === null;
    focused.textContent = `focus on ${focus?.size ?? 0} ✕`;
    hidden.hidden = hiddenIds.size === 0;
    hidden.textContent = `${hiddenIds.size} hidden ✕`;
    // The loci are the result's: redrawn only when it or the hidden loci change, not at each click.
    if (lociDrawn[0] !== state.result || lociDrawn[1] !== state.filters.hiddenLoci) {
      lociDrawn = [state.result, state.filters.hiddenLoci];
      renderLoci(loci, store);
    }
  });
}

/** The samples in the graph's order, the hidden ones left out (←/→ go through these). */
export function sampleOrder(store: Store): readonly number[] {
  const count = store.state.result?.samples.length ?? 0;
  return store.state.analysis.sampleOrder ?? Array.from({ length: count }, (_, index) => index);
}

export function stepSample(store: Store, step: number): void {
  const order = sampleOrder(store);
  const here = order.indexOf(store.state.sample);
  const next = order[Math.min(order.length - 1, Math.max(0, here + step))];
  if (next !== undefined && next !== store.state.sample) store.update({ sample: next });
}

/** Shift+←/→: fewer or more clones in the top, as Vidjil's. */
export function stepTop(store: Store, step: number): void {
  const choices = TOP_CHOICES;
  const here = choices.indexOf(store.state.filters.topN);
  const next = choices[Math.min(choices.length - 1, Math.max(0, here + step))];
  if (next !== undefined) store.update({ filters: { ...store.state.filters, topN: next } });
}

/** Undo and redo of the curation (Ctrl+Z, Ctrl+Shift+Z), saying what they will undo or redo. */
function undoButtons(store: Store): { notice: HTMLElement; buttons: HTMLElement } {
  const undo = h("button", { type: "button", class: "button", "aria-label": "Undo" }, "↶ Undo");
  const redo = h("button", { type: "button", class: "button", "aria-label": "Redo" }, "↷ Redo");
  undo.addEventListener("click", () => store.undo());
  redo.addEventListener("click", () => store.redo());
  const notice = h("span", { class: "notice undo-notice", "aria-live": "polite" });
  store.subscribe((state) => {
    const { nextUndo, nextRedo } = store.history;
    undo.disabled = nextUndo === null;
    redo.disabled = nextRedo === null;
    undo.title = nextUndo ? `Undo: ${nextUndo} (Ctrl+Z)` : "Nothing to undo";
    redo.title = nextRedo ? `Redo: ${nextRedo} (Ctrl+Shift+Z)` : "Nothing to redo";
    undo.parentElement?.toggleAttribute("hidden", state.result === null);
    // The save button's status says "Saved"; this one says the rest (undone, nothing to cluster).
    const saved = state.server !== null && state.savedAnalysis === state.analysis;
    notice.textContent = saved ? "" : state.notice;
    notice.title = notice.textContent;
  });
  return { notice, buttons: h("span", { class: "group undo-group" }, undo, redo) };
}

function renderLoci(fieldset: HTMLFieldSetElement, store: Store): void {
  const result = store.state.result;
  if (result === null) return;
  const loci = [...result.lociReads.keys()];
  for (const clone of result.clones) if (!loci.includes(clone.locus)) loci.push(clone.locus);
  const hidden = store.state.filters.hiddenLoci;
  const boxes = loci.sort().map((locus) => {
    const box = h("input", { type: "checkbox", checked: !hidden.has(locus), "data-locus": locus });
    box.addEventListener("change", () => {
      const next = new Set(store.state.filters.hiddenLoci);
      if (box.checked) next.delete(locus);
      else next.add(locus);
      store.update({ filters: { ...store.state.filters, hiddenLoci: next } });
    });
    return h("label", { class: "chip" }, box, locus);
  });
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.locus;
  fieldset.replaceChildren(fieldset.firstChild as Node, ...boxes);
  if (focused) fieldset.querySelector<HTMLElement>(`[data-locus="${focused}"]`)?.focus();
}
