/**
 * The time-course graph: each clone's share of reads across the samples on a log scale, for
 * MRD follow-up. Samples where a clone has no read sit in a grey "not detected" band; each
 * locus's smaller clonotypes are a grey dashed line. The samples are shown in the analysis's
 * order: drag a sample's name to move it, double-click it to hide it, or use the samples menu.
 */
import { axisBottom, axisLeft } from "d3-axis";
import { scaleLog, scalePoint } from "d3-scale";
import { select } from "d3-selection";
import { line } from "d3-shape";
import { type Entry, fraction } from "../../model/entries";
import { formatPercent, formatPercentTick } from "../../model/format";
import { smallerFraction } from "../../model/smaller";
import { SMALLER_COLOUR } from "../../model/tags";
import type { Sample } from "../../model/vidjil";
import type { Store } from "../state";
import { h, morphChildren, s } from "../../ui/dom";
import { PLOT_STYLE, panelHead, plotSize, redrawOnResize } from "./plot-style";
import { enableSampleDragging, hideSample, samplesMenu, shownSamples } from "./graph-samples";
import { LOD_STYLE, lodLine } from "./lod-line";

interface Size {
  width: number;
  height: number;
}
const MARGIN = { top: 14, right: 24, bottom: 52, left: 64 };
const UNDETECTED_BAND = 24;
const CURVES = 20;
const FLOOR = 1e-5;

export function mountGraph(container: HTMLElement, store: Store): void {
  const plot = h("div", { class: "plot" });
  const note = h("p", { class: "plot-note" });
  panelHead(container, samplesMenu(store));
  container.append(note, plot);
  const dragging = enableSampleDragging(plot, store);
  let lastClick = { sample: "", time: 0 };
  plot.addEventListener("click", (event) => {
    if (dragging.justMoved) return;
    const target = event.target as Element;
    const sample = target.closest<SVGElement>("[data-sample]")?.dataset.sample;
    if (sample !== undefined) {
      // A double click hides the sample (Vidjil's); the graph is redrawn between the two clicks,
      // so the browser's dblclick, which needs one element for both, cannot tell.
      const double = lastClick.sample === sample && event.timeStamp - lastClick.time < 450;
      lastClick = { sample, time: event.timeStamp };
      if (double) hideSample(store, Number(sample));
      else store.update({ sample: Number(sample) });
      return;
    }
    const id = target.closest<SVGElement>("[data-id]")?.dataset.id;
    if (id) store.select(id, event.ctrlKey || event.metaKey || event.shiftKey);
  });
  const redraw = () => morphChildren(plot, [drawGraph(store, plotSize(plot))]);
  redrawOnResize(plot, () => {
    if (!container.hidden) redraw();
  });
  let drawn: readonly unknown[] = [];
  store.subscribe((state) => {
    const samples = state.result?.samples.length ?? 0;
    container.hidden = samples < 2;
    if (samples < 2) return;
    const inputs = [
      store.ranked(),
      state.sample,
      state.analysis.sampleOrder,
      store.colourScale(),
      state.result,
    ];
    // A new selection among the curves drawn only restyles them; a new sample only marks it: the
    // curves are the same in every sample.
    const sameCurves = inputs.every((input, i) => i === 1 || input === drawn[i]);
    if (sameCurves && restyled(plot, state.selection)) {
      if (drawn[1] !== state.sample) markSample(plot, state.sample);
      drawn = inputs;
      return;
    }
    drawn = inputs;
    const shown = shownSamples(store).length;
    const which = shown === samples ? `${samples} samples` : `${shown} of ${samples} samples`;
    note.textContent = `Top ${CURVES} clones across ${which} (log scale). Click a sample name to show it; drag it to move it, double-click to hide it.`;
    redraw();
  });
}

/** Marks the current sample: its line dashed, its name in bold (as `drawGraph` draws them). */
function markSample(plot: HTMLElement, current: number): void {
  for (const line of plot.querySelectorAll<SVGLineElement>("line[data-line-of]")) {
    const here = Number(line.dataset.lineOf) === current;
    line.setAttribute("class", here ? "current-sample" : "sample-line");
  }
  for (const tick of plot.querySelectorAll<SVGGElement>("g.tick[data-sample]")) {
    const here = Number(tick.dataset.sample) === current;
    tick.setAttribute("class", here ? "tick current" : "tick");
    tick.querySelector("text")?.setAttribute("font-weight", here ? "700" : "400");
  }
}

/** Marks the selected curves (drawn on top) and dims the others; false when one is not drawn. */
function restyled(plot: HTMLElement, selection: readonly string[]): boolean {
  const groups = [...plot.querySelectorAll<SVGGElement>("g.curve-group")];
  const drawnIds = new Set(groups.map((group) => group.dataset.id));
  if (!selection.every((id) => drawnIds.has(id))) return false;
  const selected = new Set(selection);
  for (const group of groups) {
    const isSelected = selected.has(group.dataset.id ?? "");
    const klass = isSelected ? "curve selected" : selected.size > 0 ? "curve dimmed" : "curve";
    group.querySelector("path")?.setAttribute("class", klass);
    for (const point of group.querySelectorAll("circle")) point.setAttribute("r", isSelected ? "5" : "3.5");
    if (isSelected) group.parentNode?.append(group);
  }
  return true;
}

function curveEntries(store: Store): Entry[] {
  const selected = new Set(store.state.selection);
  const top = store.ranked().slice(0, CURVES);
  const extra = store.selectedEntries().filter((entry) => !top.includes(entry));
  // Selected curves last, so they are drawn on top.
  return [...top, ...extra].sort((a, b) => Number(selected.has(a.id)) - Number(selected.has(b.id)));
}

export function drawGraph(store: Store, { width: WIDTH, height: HEIGHT }: Size): SVGSVGElement {
  const { result, selection, sample: current } = store.state;
  const svg = s("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    class: "graph-plot",
    role: "img",
    "aria-label": "Clone sizes across samples",
    "data-testid": "graph-svg",
  });
  svg.append(s("style", {}, PLOT_STYLE + LOD_STYLE));
  if (result === null) return svg;
  const indices = [...shownSamples(store)];
  const x = scalePoint<number>()
    .domain(indices)
    .range([MARGIN.left + 50, Math.max(MARGIN.left + 50, WIDTH - MARGIN.right - 50)]); // never reversed
  const room = indices.length > 1 ? x.step() - 6 : WIDTH - MARGIN.left - MARGIN.right;
  // Samples too close for a date written across: their labels turn sideways, below the axis.
  const upright = room >= DATE_LENGTH * CHARACTER_WIDTH;
  const marginBottom = upright ? MARGIN.bottom : SIDEWAYS_BOTTOM;
  const bandTop = HEIGHT - marginBottom - UNDETECTED_BAND;
  const y = scaleLog()
    .domain([FLOOR, 1])
    .range([bandTop - 6, MARGIN.top])
    .clamp(true);
  svg.append(
    s("rect", {
      class: "undetected",
      x: MARGIN.left,
      y: bandTop,
      width: WIDTH - MARGIN.left - MARGIN.right,
      height: UNDETECTED_BAND,
    }),
    s(
      "text",
      {
        class: "undetected-label",
        x: (MARGIN.left + WIDTH - MARGIN.right) / 2,
        y: bandTop + 15,
        "text-anchor": "middle",
      },
      "not detected",
    ),
  );
  for (const index of indices) {
    const position = x(index) ?? 0;
    svg.append(
      s("line", {
        class: index === current ? "current-sample" : "sample-line",
        "data-line-of": index,
        x1: position,
        x2: position,
        y1: MARGIN.top,
        y2: bandTop,
      }),
    );
  }
  const lod = lodLine(result, indices, x, y);
  if (lod) svg.append(lod);
  const bottom = s("g", { class: "axis x", transform: `translate(0,${HEIGHT - marginBottom})` });
  const left = s("g", { class: "axis y", transform: `translate(${MARGIN.left},0)` });
  svg.append(bottom, left);
  select(bottom).call(axisBottom(x).tickFormat((index) => result.samples[index]?.name ?? ""));
  for (const tick of bottom.querySelectorAll<SVGGElement>("g.tick")) {
    const index = (tick as unknown as { __data__: number }).__data__;
    tick.dataset.sample = String(index);
    tick.setAttribute("class", index === current ? "tick current" : "tick");
    tick.style.cursor = "pointer";
    const label = tick.querySelector("text");
    label?.setAttribute("font-weight", index === current ? "700" : "400");
    const name = result.samples[index]?.name ?? "";
    if (label && upright) fitSampleLabel(label, name, sampleDate(result.samples, index), room);
    else if (label) sidewaysSampleLabel(label, name, sampleWhen(result.samples, index), room);
  }
  select(left).call(
    axisLeft(y)
      .tickValues([1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1])
      .tickFormat((v) => formatPercentTick(Number(v))),
  );
  const level = (entry: Entry, index: number) => {
    const share = fraction(entry, result, index);
    return share > 0 ? y(share) : bandTop + UNDETECTED_BAND / 2;
  };
  const path = line<number>().x((index) => x(index) ?? 0);
  for (const row of store.smallerClonotypes()) {
    const share = (index: number) => smallerFraction(row, result, index);
    const label = `${row.locus} smaller clonotypes\n${indices.map((i) => `${result.samples[i]?.name}: ${formatPercent(share(i))}`).join("\n")}`;
    svg.append(
      s(
        "g",
        { class: "smaller-curve", "data-locus": row.locus },
        s("title", {}, label),
        s("path", {
          class: "curve smaller",
          stroke: SMALLER_COLOUR,
          d:
            path.y((index) => (share(index) > 0 ? y(share(index)) : bandTop + UNDETECTED_BAND / 2))(
              indices,
            ) ?? "",
        }),
      ),
    );
  }
  const anySelected = selection.length > 0;
  for (const entry of curveEntries(store)) {
    const isSelected = selection.includes(entry.id);
    const colour = store.colourOf(entry);
    const label = `${entry.name}\n${indices.map((i) => `${result.samples[i]?.name}: ${formatPercent(fraction(entry, result, i))}`).join("\n")}`;
    const group = s("g", { "data-id": entry.id, class: "curve-group" }, s("title", {}, label));
    const klass = isSelected ? "curve selected" : anySelected ? "curve dimmed" : "curve";
    group.append(
      s("path", { class: klass, stroke: colour, d: path.y((index) => level(entry, index))(indices) ?? "" }),
    );
    for (const index of indices) {
      group.append(
        s("circle", {
          class: "point",
          cx: x(index) ?? 0,
          cy: level(entry, index),
          r: isSelected ? 5 : 3.5,
          fill: colour,
        }),
      );
    }
    svg.append(group);
  }
  svg.append(
    s(
      "text",
      { class: "axis-label", transform: `translate(14,${bandTop / 2}) rotate(-90)`, "text-anchor": "middle" },
      "% of reads",
    ),
  );
  return svg;
}

const DAY = 24 * 60 * 60 * 1000;
const CHARACTER_WIDTH = 7.5; // of the 11 px labels, bold ones included (DejaVu Sans is wide)
const DATE_LENGTH = "2026-02-16".length;
const LINE_EM = 1.2; // the lines of a sideways label, side by side
const LINE_HEIGHT = 11 * LINE_EM;
const SIDEWAYS_CHARACTERS = 11; // what the room below the axis holds of a sideways line
const SIDEWAYS_BOTTOM = 96; // MARGIN.bottom under sideways labels

/** A sample's name and date under its line, within `room` pixels so that neighbours do not
 * overlap: a long name (a sequencer's file name) is cut with "…" (the whole one in its title),
 * and a date with its day goes on two lines. */
function fitSampleLabel(label: SVGTextElement, name: string, when: string, room: number): void {
  const fits = Math.max(4, Math.floor(room / CHARACTER_WIDTH));
  if (name.length > fits) {
    label.textContent = `${name.slice(0, fits - 1)}…`;
    label.append(s("title", {}, name));
  }
  if (!when) return;
  // "2026-03-10 " then "(day 59)": the space kept so that the label's text still reads as one
  const lines = when.length > fits ? when.split(/(?<= )(?=\()/) : [when];
  for (const text of lines) label.append(s("tspan", { x: 0, dy: "1.3em", class: "sample-date" }, text));
}

/**
 * Samples closer than a date's width: the label reads upwards, one line per fact side by side
 * as far as `room` allows (the date first, then the name, then the day of the follow-up), each
 * cut to what the room below the axis holds; the whole label is its title.
 */
function sidewaysSampleLabel(label: SVGTextElement, name: string, when: SampleWhen, room: number): void {
  const fits = Math.max(1, Math.floor(room / LINE_HEIGHT));
  const kept = (when.date ? [when.date, name, when.day] : [name]).filter(Boolean).slice(0, fits);
  const lines = [name, when.date, when.day].filter((line) => line && kept.includes(line));
  label.textContent = "";
  label.setAttribute("transform", "rotate(-90)");
  label.setAttribute("text-anchor", "end");
  label.setAttribute("x", "-9");
  label.setAttribute("y", "0");
  label.removeAttribute("dy");
  // The lines are centred on the sample's line: the first one goes half a block to the left.
  const first = `${0.35 - ((lines.length - 1) * LINE_EM) / 2}em`;
  lines.forEach((line, position) => {
    const text = line.length > SIDEWAYS_CHARACTERS ? `${line.slice(0, SIDEWAYS_CHARACTERS - 1)}…` : line;
    const attributes = { x: -9, dy: position === 0 ? first : `${LINE_EM}em` };
    label.append(s("tspan", line === name ? attributes : { ...attributes, class: "sample-date" }, text));
  });
  label.append(s("title", {}, [name, when.date, when.day && `(${when.day})`].filter(Boolean).join(" ")));
}

interface SampleWhen {
  /** "2026-02-16", or "" when the sample has no date. */
  date: string;
  /** "day 35" from the first sample, or "" (the first sample, or no dates to count from). */
  day: string;
}

function sampleWhen(samples: readonly Sample[], index: number): SampleWhen {
  const date = samples[index]?.timestamp.slice(0, 10) ?? "";
  const first = Date.parse(samples[0]?.timestamp.slice(0, 10) ?? "");
  const here = Date.parse(date);
  if (!date || Number.isNaN(here)) return { date: "", day: "" };
  const day = index === 0 || Number.isNaN(first) ? "" : `day ${Math.round((here - first) / DAY)}`;
  return { date, day };
}

/** "2026-02-16 (day 35)": the sampling date and its distance from the first sample, for MRD. */
function sampleDate(samples: readonly Sample[], index: number): string {
  const { date, day } = sampleWhen(samples, index);
  return day ? `${date} (${day})` : date;
}
