/**
 * Which samples the follow-up graph shows, and in what order (Vidjil's `samples.order`, saved in
 * the `.analysis`): a "2/3 samples" menu to show, hide and move them, dragging a sample's name
 * along the axis, double-clicking it to hide it. Each change is one undoable step.
 */
import { withSampleOrder } from "../../model/analysis";
import type { Store } from "../state";
import { h } from "../../ui/dom";
import { closeMenuOnEscape } from "../menus";

export function shownSamples(store: Store): readonly number[] {
  const count = store.state.result?.samples.length ?? 0;
  return store.state.analysis.sampleOrder ?? Array.from({ length: count }, (_, index) => index);
}

function sampleName(store: Store, index: number): string {
  return store.state.result?.samples[index]?.name ?? `sample ${index + 1}`;
}

/** Sets the shown samples; all of them in the file's order is stored as "no order". */
export function setShownSamples(store: Store, order: readonly number[], label: string): void {
  const count = store.state.result?.samples.length ?? 0;
  if (order.length === 0) return;
  const natural = order.length === count && order.every((index, position) => index === position);
  store.curate(label, withSampleOrder(store.state.analysis, natural ? null : order));
}

export function hideSample(store: Store, index: number): void {
  const order = shownSamples(store);
  // The graph keeps one sample at least.
  if (order.length < 2) return;
  setShownSamples(
    store,
    order.filter((other) => other !== index),
    `hide ${sampleName(store, index)} in the graph`,
  );
}

export function moveSample(store: Store, index: number, position: number): void {
  const order = shownSamples(store).filter((other) => other !== index);
  const at = Math.max(0, Math.min(order.length, position));
  order.splice(at, 0, index);
  if (order.every((other, i) => other === shownSamples(store)[i])) return;
  setShownSamples(store, order, `move ${sampleName(store, index)} in the graph`);
}

export function samplesMenu(store: Store): HTMLElement {
  const summary = h("summary", { class: "button", title: "Samples shown in the graph" });
  const list = h("ul", { class: "samples-list" });
  const showAll = h("button", { type: "button" }, "Show all, in their first order");
  showAll.addEventListener("click", () => {
    const count = store.state.result?.samples.length ?? 0;
    setShownSamples(
      store,
      Array.from({ length: count }, (_, index) => index),
      "show every sample in the graph",
    );
  });
  const items = h(
    "div",
    { class: "menu-items samples-menu", role: "dialog", "aria-label": "Samples" },
    list,
    showAll,
  );
  const menu = h("details", { class: "menu samples" }, summary, items);
  closeMenuOnEscape(menu);
  let drawn: readonly unknown[] = [];
  store.subscribe((state) => {
    const count = state.result?.samples.length ?? 0;
    const order = shownSamples(store);
    if (state.result === null || (drawn[0] === state.result && drawn[1] === state.analysis.sampleOrder))
      return;
    drawn = [state.result, state.analysis.sampleOrder];
    summary.textContent = `${order.length}/${count} samples ▾`;
    const hidden = Array.from({ length: count }, (_, index) => index).filter(
      (index) => !order.includes(index),
    );
    // The list is rebuilt: the control that had the focus gets it back.
    const focused = list.contains(document.activeElement)
      ? document.activeElement?.getAttribute("aria-label")
      : null;
    list.replaceChildren(
      ...[...order, ...hidden].map((index) => sampleItem(store, index, order.includes(index), order)),
    );
    if (focused) list.querySelector<HTMLElement>(`[aria-label="${CSS.escape(focused)}"]`)?.focus();
  });
  return menu;
}

function sampleItem(store: Store, index: number, shown: boolean, order: readonly number[]): HTMLElement {
  const name = sampleName(store, index);
  const box = h("input", { type: "checkbox", checked: shown, "aria-label": `Show ${name} in the graph` });
  box.addEventListener("change", () => {
    if (box.checked) setShownSamples(store, [...order, index], `show ${name} in the graph`);
    else hideSample(store, index);
  });
  const position = order.indexOf(index);
  const up = h(
    "button",
    { type: "button", "aria-label": `Move ${name} left`, disabled: !shown || position === 0 },
    "←",
  );
  const down = h(
    "button",
    { type: "button", "aria-label": `Move ${name} right`, disabled: !shown || position === order.length - 1 },
    "→",
  );
  up.addEventListener("click", () => moveSample(store, index, position - 1));
  down.addEventListener("click", () => moveSample(store, index, position + 1));
  return h("li", {}, h("label", {}, box, ` ${name}`), up, down);
}

/**
 * Dragging a sample's name along the axis moves the sample (dropped between the two nearest).
 * `justMoved` tells the click that ends a drag not to select.
 */
export function enableSampleDragging(plot: HTMLElement, store: Store): { justMoved: boolean } {
  const state = { justMoved: false };
  let drag: { index: number; startX: number; tick: SVGGElement; base: string } | null = null;
  plot.addEventListener("pointerdown", (event) => {
    state.justMoved = false;
    const tick = (event.target as Element).closest<SVGGElement>("g.tick[data-sample]");
    if (tick === null || event.button !== 0) return;
    drag = {
      index: Number(tick.dataset.sample),
      startX: event.clientX,
      tick,
      base: tick.getAttribute("transform") ?? "",
    };
  });
  plot.addEventListener("pointermove", (event) => {
    if (drag === null) return;
    const shift = event.clientX - drag.startX;
    if (Math.abs(shift) <= 4) return;
    // Captured only once it is a drag: a plain click must still reach the sample's name.
    if (!plot.hasPointerCapture(event.pointerId)) plot.setPointerCapture(event.pointerId);
    drag.tick.setAttribute("transform", `${drag.base} translate(${shift},0)`);
  });
  plot.addEventListener("pointerup", (event) => {
    if (drag === null) return;
    const { index, startX, tick, base } = drag;
    drag = null;
    const shift = event.clientX - startX;
    if (Math.abs(shift) <= 4) return;
    tick.setAttribute("transform", base);
    state.justMoved = true;
    moveSample(store, index, dropPosition(plot, event.clientX, index));
  });
  return state;
}

/** Where a sample dropped at screen position `x` goes among the other shown samples. */
function dropPosition(plot: HTMLElement, x: number, moved: number): number {
  const others = [...plot.querySelectorAll<SVGGElement>("g.tick[data-sample]")].filter(
    (tick) => Number(tick.dataset.sample) !== moved,
  );
  return others.filter((tick) => {
    const box = tick.getBoundingClientRect();
    return box.left + box.width / 2 < x;
  }).length;
}
