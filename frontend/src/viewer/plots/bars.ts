/**
 * The bar plot mode of the grid (Vidjil's distribution presets): one bar per value of the X axis
 * (V gene, CDR3 length, ...), as high as the share of reads of the clones shown there, stacked
 * clone by clone in their colours so that each stays selectable.
 */
import { axisBottom, axisLeft } from "d3-axis";
import { scaleBand, scaleLinear } from "d3-scale";
import { select } from "d3-selection";
import { type Axis, type AxisContext, categories } from "../../model/axes";
import { type Entry, fraction } from "../../model/entries";
import { formatPercent, formatPercentTick } from "../../model/format";
import { fitCategoryLabels } from "./axis-labels";
import { s } from "../../ui/dom";

const MARGIN = { top: 12, right: 16, bottom: 64, left: 70 };
const UNKNOWN = "?";

/** The bar an entry belongs to: its category, or its number (lengths are whole numbers). */
function barOf(axis: Axis, entry: Entry, context: AxisContext): string {
  if (axis.kind === "category") return axis.value(entry, context);
  const value = axis.value(entry, context);
  return value === null ? UNKNOWN : String(Math.round(value));
}

/** Every whole number between the smallest and largest value, so gaps show as empty bars. */
function barDomain(axis: Axis, entries: Entry[], context: AxisContext): string[] {
  if (axis.kind === "category") return categories(axis, entries, context);
  const values = entries.map((entry) => barOf(axis, entry, context));
  const numbers = values.filter((value) => value !== UNKNOWN).map(Number);
  const domain: string[] = [];
  if (numbers.length > 0) {
    for (let value = Math.min(...numbers); value <= Math.max(...numbers); value++) domain.push(String(value));
  }
  if (values.includes(UNKNOWN)) domain.push(UNKNOWN);
  return domain;
}

export function drawBars(
  svg: SVGSVGElement,
  entries: Entry[],
  axis: Axis,
  context: AxisContext,
  { width, height }: { width: number; height: number },
  selection: readonly string[],
  colour: (entry: Entry) => string,
): void {
  const { result, sample } = context;
  const domain = barDomain(axis, entries, context);
  const x = scaleBand<string>()
    .domain(domain)
    .range([MARGIN.left, width - MARGIN.right])
    .padding(0.15);
  const bottom = x.step() < 30 ? 92 : MARGIN.bottom;
  const totals = new Map<string, number>();
  for (const entry of entries) {
    const bar = barOf(axis, entry, context);
    totals.set(bar, (totals.get(bar) ?? 0) + fraction(entry, result, sample));
  }
  const y = scaleLinear()
    .domain([0, Math.max(...totals.values(), 1e-4)])
    .range([height - bottom, MARGIN.top])
    .nice();
  const stacked = new Map<string, number>();
  const bySize = [...entries].sort((a, b) => fraction(b, result, sample) - fraction(a, result, sample));
  for (const entry of bySize) {
    const bar = barOf(axis, entry, context);
    const share = fraction(entry, result, sample);
    const below = stacked.get(bar) ?? 0;
    stacked.set(bar, below + share);
    svg.append(
      s(
        "rect",
        {
          class: selection.includes(entry.id) ? "bar-segment selected" : "bar-segment",
          x: x(bar) ?? 0,
          width: x.bandwidth(),
          y: y(below + share),
          height: Math.max(0.5, y(below) - y(below + share)),
          fill: colour(entry),
          "data-id": entry.id,
        },
        s("title", {}, `${entry.name}\n${formatPercent(share)}`),
      ),
    );
  }
  const xAxisGroup = s("g", { class: "axis x", transform: `translate(0,${height - bottom})` });
  const yAxisGroup = s("g", { class: "axis y", transform: `translate(${MARGIN.left},0)` });
  svg.append(xAxisGroup, yAxisGroup);
  select(xAxisGroup).call(axisBottom(x));
  select(yAxisGroup).call(
    axisLeft(y)
      .ticks(5)
      .tickFormat((value) => formatPercentTick(Number(value))),
  );
  fitCategoryLabels(xAxisGroup, x.step(), "x");
  svg.append(
    s(
      "text",
      {
        class: "axis-label",
        x: (MARGIN.left + width - MARGIN.right) / 2,
        y: height - 4,
        "text-anchor": "middle",
      },
      axis.label,
    ),
    s(
      "text",
      {
        class: "axis-label",
        transform: `translate(12,${(height - bottom) / 2}) rotate(-90)`,
        "text-anchor": "middle",
      },
      "% of reads",
    ),
  );
}
