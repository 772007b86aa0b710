/**
 * The grid (bubble plot): one bubble per visible entry, placed by two chosen axes, area
 * proportional to its share of reads in the current sample, on one scale for every sample (as in
 * Vidjil): a 0.01% clone of an MRD follow-up stays a dot instead of growing to the size the
 * diagnosis's 20% clone had. Bubbles sharing a cell are spread on a small spiral so that none
 * hides another.
 */
import { axisBottom, axisLeft } from "d3-axis";
import {
  type ScaleBand,
  type ScaleLinear,
  type ScaleLogarithmic,
  scaleBand,
  scaleLinear,
  scaleLog,
  scaleSqrt,
} from "d3-scale";
import { select } from "d3-selection";
import { AXES, type Axis, type AxisContext, axisById, categories, numberDomain } from "../../model/axes";
import { CLL_CUTOFF } from "../../model/clinical";
import { type Entry, fraction } from "../../model/entries";
import { PRESETS, currentPreset, presetByKey } from "../../model/presets";
import { formatPercent, formatPercentTick } from "../../model/format";
import type { Store } from "../state";
import { h, morphChildren, s } from "../../ui/dom";
import { fitCategoryLabels } from "./axis-labels";
import { PLOT_STYLE, panelHead, plotSize, redrawOnResize } from "./plot-style";
import { drawBars } from "./bars";
import { type Bubble, bubbleLayer, patchBubbles } from "./bubbles";

interface Size {
  width: number;
  height: number;
}
const MARGIN = { top: 12, right: 16, bottom: 64, left: 96 };
const MAX_BUBBLES = 200;

type Position = ScaleBand<string> | ScaleLinear<number, number> | ScaleLogarithmic<number, number>;

export function mountGrid(container: HTMLElement, store: Store): void {
  const pickX = axisPicker("Grid X axis", "grid-x");
  const pickY = axisPicker("Grid Y axis", "grid-y");
  pickX.addEventListener("change", () => store.update({ gridX: pickX.value }));
  pickY.addEventListener("change", () => store.update({ gridY: pickY.value }));
  const swap = h(
    "button",
    { type: "button", title: "Swap the axes", "aria-label": "Swap the grid axes" },
    "⇄",
  );
  swap.addEventListener("click", () => store.update({ gridX: store.state.gridY, gridY: store.state.gridX }));
  const mode = h(
    "select",
    { id: "grid-mode", "aria-label": "Grid or bar plot" },
    h("option", { value: "bubbles" }, "Grid"),
    h("option", { value: "bars" }, "Bars"),
  );
  mode.addEventListener("change", () =>
    store.update({ gridMode: mode.value === "bars" ? "bars" : "bubbles" }),
  );
  const yLabel = h("label", {}, "Y ", pickY);
  const presets = h(
    "select",
    { id: "grid-preset", "aria-label": "Grid preset (keys 1-9, 0)" },
    h("option", { value: "" }, "Presets (1-9, 0)…"),
    ...PRESETS.map((preset) => h("option", { value: preset.key }, `${preset.key} · ${preset.label}`)),
  );
  presets.addEventListener("change", () => applyPreset(store, presets.value));
  const plot = h("div", { class: "plot" });
  panelHead(container, presets);
  container.append(
    h("div", { class: "plot-controls" }, mode, h("label", {}, "X ", pickX), swap, yLabel),
    plot,
  );
  const dragging = enableRectangleSelection(plot, store);
  plot.addEventListener("click", (event) => {
    if (dragging.justSelected) return;
    const id = (event.target as Element).closest<SVGElement>("[data-id]")?.dataset.id;
    if (id) store.select(id, event.ctrlKey || event.metaKey || event.shiftKey);
    else if (!event.ctrlKey) store.update({ selection: [] });
  });
  const redraw = () => {
    const { svg, bubbles } = draw(store, plotSize(plot));
    morphChildren(plot, [svg]);
    const layer = plot.querySelector("g.bubbles");
    if (layer !== null) patchBubbles(layer, bubbles);
  };
  redrawOnResize(plot, redraw);
  let drawn: readonly unknown[] = [];
  store.subscribe((state) => {
    const single = (state.result?.samples.length ?? 0) < 2;
    for (const picker of [pickX, pickY]) {
      const option = picker.querySelector<HTMLOptionElement>('option[value="size-next"]');
      if (option) option.disabled = single;
    }
    mode.value = state.gridMode;
    yLabel.hidden = swap.hidden = state.gridMode === "bars";
    pickX.value = state.gridX;
    pickY.value = state.gridY;
    presets.value = currentPreset(state.gridX, state.gridY, state.gridMode)?.key ?? "";
    const inputs = [
      store.visible(),
      state.sample,
      state.gridX,
      state.gridY,
      state.gridMode,
      store.colourScale(),
    ];
    // A click that only changes the selection restyles the marks; anything else redraws.
    if (inputs.every((input, i) => input === drawn[i])) {
      markSelected(plot, state.selection);
      return;
    }
    drawn = inputs;
    redraw();
  });
}

/** Keys 1-9 and 0 (Vidjil's numeric presets) or the preset menu. */
export function applyPreset(store: Store, key: string): void {
  const preset = presetByKey(key);
  if (preset === null) return;
  store.update({ gridX: preset.x, gridY: preset.y ?? store.state.gridY, gridMode: preset.mode });
}

function markSelected(plot: HTMLElement, selection: readonly string[]): void {
  const selected = new Set(selection);
  for (const mark of plot.querySelectorAll<SVGElement>("[data-id]")) {
    const base = mark.classList.contains("bubble") ? "bubble" : "bar-segment";
    mark.setAttribute("class", selected.has(mark.dataset.id ?? "") ? `${base} selected` : base);
  }
}

function axisPicker(label: string, id: string): HTMLSelectElement {
  const picker = h("select", { id, "aria-label": label });
  for (const axis of AXES) picker.append(h("option", { value: axis.id }, axis.label));
  return picker;
}

function positionScale(
  axis: Axis,
  entries: Entry[],
  context: AxisContext,
  range: [number, number],
): Position {
  if (axis.kind === "category") {
    return scaleBand<string>()
      .domain(categories(axis, entries, context))
      .range(range)
      .padding(0.08);
  }
  const values = entries.map((entry) => axis.value(entry, context)).filter((v): v is number => v !== null);
  if (axis.kind === "log") {
    // From a little under the smallest clone, so small clones are not squeezed at one end.
    const low = values.length > 0 ? Math.min(...values) / 2 : 1e-4;
    const high = values.length > 0 ? Math.min(1, Math.max(...values) * 1.6) : 1;
    return scaleLog()
      .domain([Math.max(low, 1e-6), high])
      .range(range)
      .clamp(true);
  }
  return scaleLinear().domain(numberDomain(axis, values)).range(range);
}

/** Centre of the cell (band) or the exact value (continuous) on one axis; null = not placed. */
function place(scale: Position, axis: Axis, entry: Entry, context: AxisContext): number | null {
  if (axis.kind === "category") {
    const band = scale as ScaleBand<string>;
    const start = band(axis.value(entry, context));
    return start === undefined ? null : start + band.bandwidth() / 2;
  }
  const value = axis.value(entry, context);
  return value === null ? null : (scale as ScaleLinear<number, number>)(value);
}

/** The plot without its bubbles, and the bubbles to patch into its layer (see bubbles.ts). */
function draw(
  store: Store,
  { width: WIDTH, height: HEIGHT }: Size,
): { svg: SVGSVGElement; bubbles: Bubble[] } {
  const { result, sample, gridX, gridY, selection } = store.state;
  const svg = s("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    class: "grid-plot",
    role: "img",
    "aria-label": "Grid of clones",
    "data-testid": "grid-svg",
  });
  svg.append(s("style", {}, PLOT_STYLE));
  const bubbles: Bubble[] = [];
  if (result === null) return { svg, bubbles };
  const context: AxisContext = { result, sample, tagNames: store.state.analysis.tagNames };
  const colour = (entry: Entry) => store.colourOf(entry);
  const entries = store
    .visible()
    .slice(0, MAX_BUBBLES)
    .filter((entry) => (entry.reads[sample] ?? 0) > 0);
  if (store.state.gridMode === "bars") {
    drawBars(svg, entries, axisById(gridX), context, { width: WIDTH, height: HEIGHT }, selection, colour);
    return { svg, bubbles };
  }
  const xAxis = axisById(gridX);
  const yAxis = axisById(gridY);
  const x = positionScale(xAxis, entries, context, [MARGIN.left, WIDTH - MARGIN.right]);
  // Vertical gene names need a deeper bottom margin than slanted ones.
  const bottom = xAxis.kind === "category" && (x as ScaleBand<string>).step() < 30 ? 92 : MARGIN.bottom;
  const y = positionScale(yAxis, entries, context, [HEIGHT - bottom, MARGIN.top]);
  drawAxes(svg, x, y, xAxis, yAxis, { width: WIDTH, height: HEIGHT }, bottom);
  if (entries.some((entry) => entry.clone.locus.startsWith("IGH") && entry.clone.measures?.vIdentity)) {
    svg.append(...cllCutoff(x, y, xAxis, yAxis));
  }
  const crowd = new Map<string, number>();
  // Largest first so small bubbles are drawn on top and stay clickable.
  const bySize = [...entries].sort((a, b) => fraction(b, result, sample) - fraction(a, result, sample));
  for (const entry of bySize) {
    const cx = place(x, xAxis, entry, context);
    const cy = place(y, yAxis, entry, context);
    if (cx === null || cy === null) continue;
    const key = `${Math.round(cx)},${Math.round(cy)}`;
    const order = crowd.get(key) ?? 0;
    crowd.set(key, order + 1);
    const [dx, dy] = spiral(order);
    const share = fraction(entry, result, sample);
    bubbles.push({
      id: entry.id,
      cx: cx + dx,
      cy: cy + dy,
      r: bubbleRadius(share),
      fill: colour(entry),
      selected: selection.includes(entry.id),
      title: `${entry.name}\n${formatPercent(share)}`,
    });
  }
  svg.append(bubbleLayer());
  return { svg, bubbles };
}

const RADIUS = scaleSqrt().domain([0, 1]).range([2.5, 36]).clamp(true);

/** A bubble's radius in pixels for a clone holding `share` (0-1) of the sample's reads: area
 * proportional to the share on a fixed scale (20% -> 19 px, 1% -> 6 px, 0.01% -> 3 px), never
 * relative to the sample's biggest clone. */
export function bubbleRadius(share: number): number {
  return RADIUS(share);
}

/** The CLL cut-off (98% V identity) across the plot, where an axis is the V identity. */
function cllCutoff(x: Position, y: Position, xAxis: Axis, yAxis: Axis): SVGElement[] {
  const marks: SVGElement[] = [];
  const [left, right] = x.range() as [number, number];
  const [bottom, top] = y.range() as [number, number];
  const label = `${CLL_CUTOFF}% (CLL)`;
  const within = (at: number, [a, b]: [number, number]) => at >= Math.min(a, b) && at <= Math.max(a, b);
  if (xAxis.id === "v-identity" && within((x as ScaleLinear<number, number>)(CLL_CUTOFF), [left, right])) {
    const at = (x as ScaleLinear<number, number>)(CLL_CUTOFF);
    marks.push(
      s("line", { class: "cll-cutoff", x1: at, x2: at, y1: bottom, y2: top }),
      s("text", { class: "cll-cutoff-label", x: at + 3, y: top + 10 }, label),
    );
  }
  if (yAxis.id === "v-identity" && within((y as ScaleLinear<number, number>)(CLL_CUTOFF), [bottom, top])) {
    const at = (y as ScaleLinear<number, number>)(CLL_CUTOFF);
    marks.push(
      s("line", { class: "cll-cutoff", x1: left, x2: right, y1: at, y2: at }),
      s("text", { class: "cll-cutoff-label", x: right - 3, y: at - 3, "text-anchor": "end" }, label),
    );
  }
  return marks;
}

/** Golden-angle spiral offsets for the n-th bubble of a crowded cell. */
function spiral(order: number): [number, number] {
  if (order === 0) return [0, 0];
  const angle = order * 2.39996;
  const distance = 7 * Math.sqrt(order);
  return [distance * Math.cos(angle), distance * Math.sin(angle)];
}

function drawAxes(
  svg: SVGSVGElement,
  x: Position,
  y: Position,
  xAxis: Axis,
  yAxis: Axis,
  { width: WIDTH, height: HEIGHT }: Size,
  bottomMargin: number,
): void {
  const bottom = s("g", { class: "axis x", transform: `translate(0,${HEIGHT - bottomMargin})` });
  const left = s("g", { class: "axis y", transform: `translate(${MARGIN.left},0)` });
  svg.append(bottom, left);
  drawAxis(bottom, x, xAxis, axisBottom);
  drawAxis(left, y, yAxis, axisLeft);
  if (xAxis.kind === "category") fitCategoryLabels(bottom, (x as ScaleBand<string>).step(), "x");
  if (yAxis.kind === "category") fitCategoryLabels(left, (y as ScaleBand<string>).step(), "y");
  svg.append(
    s(
      "text",
      {
        class: "axis-label",
        x: (MARGIN.left + WIDTH - MARGIN.right) / 2,
        y: HEIGHT - 4,
        "text-anchor": "middle",
      },
      xAxis.label,
    ),
    s(
      "text",
      {
        class: "axis-label",
        transform: `translate(12,${(HEIGHT - bottomMargin) / 2}) rotate(-90)`,
        "text-anchor": "middle",
      },
      yAxis.label,
    ),
  );
}

type AxisMaker = typeof axisBottom;

function drawAxis(group: SVGGElement, scale: Position, axis: Axis, make: AxisMaker): void {
  if (axis.kind === "category") {
    select(group).call(make(scale as ScaleBand<string>));
    return;
  }
  const ticks = make(scale as ScaleLinear<number, number>).ticks(6);
  if (axis.kind === "log") {
    // One tick per power of ten: a log axis with every minor tick labelled is unreadable.
    const [low, high] = (scale as ScaleLogarithmic<number, number>).domain() as [number, number];
    const powers: number[] = [];
    for (let power = Math.ceil(Math.log10(low)); power <= Math.floor(Math.log10(high)); power++)
      powers.push(10 ** power);
    ticks.tickValues(powers).tickFormat((value) => formatPercentTick(Number(value)));
  }
  select(group).call(ticks);
}

/**
 * Dragging on the plot background draws a rectangle and selects the bubbles inside it (Ctrl or
 * Shift adds them to the selection), as in Vidjil. The click that ends a drag must not clear it.
 */
function enableRectangleSelection(plot: HTMLElement, store: Store): { justSelected: boolean } {
  const state = { justSelected: false };
  let start: { x: number; y: number } | null = null;
  let rectangle: SVGRectElement | null = null;
  const local = (event: PointerEvent) => {
    const box = plot.querySelector("svg")?.getBoundingClientRect();
    return box ? { x: event.clientX - box.left, y: event.clientY - box.top } : null;
  };
  plot.addEventListener("pointerdown", (event) => {
    state.justSelected = false;
    if (event.button !== 0 || (event.target as Element).closest("[data-id]")) return;
    start = local(event);
    if (start === null) return;
    rectangle = s("rect", { class: "lasso", x: start.x, y: start.y, width: 0, height: 0 });
    plot.querySelector("svg")?.append(rectangle);
    plot.setPointerCapture(event.pointerId);
  });
  plot.addEventListener("pointermove", (event) => {
    const here = local(event);
    if (start === null || rectangle === null || here === null) return;
    rectangle.setAttribute("x", String(Math.min(start.x, here.x)));
    rectangle.setAttribute("y", String(Math.min(start.y, here.y)));
    rectangle.setAttribute("width", String(Math.abs(here.x - start.x)));
    rectangle.setAttribute("height", String(Math.abs(here.y - start.y)));
  });
  plot.addEventListener("pointerup", (event) => {
    if (start === null || rectangle === null) return;
    const area = rectangle.getBBox();
    rectangle.remove();
    start = null;
    rectangle = null;
    if (area.width < 4 && area.height < 4) return;
    const inside = [...plot.querySelectorAll<SVGCircleElement>("circle.bubble")]
      .filter((circle) => {
        const x = circle.cx.baseVal.value;
        const y = circle.cy.baseVal.value;
        return x >= area.x && x <= area.x + area.width && y >= area.y && y <= area.y + area.height;
      })
      .map((circle) => circle.dataset.id as string);
    const add = event.ctrlKey || event.metaKey || event.shiftKey;
    const selection = add ? [...new Set([...store.state.selection, ...inside])] : inside;
    state.justSelected = true;
    store.update({ selection });
  });
  return state;
}
