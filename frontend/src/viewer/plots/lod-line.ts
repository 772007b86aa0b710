/**
 * The limit of detection of each sample on the time-course graph (one cell of its DNA or 3
 * reads, `samples._limit_of_detection`): a dashed red mark at each sample, joined, so that a
 * follow-up point under it reads "detected below the limit of detection".
 */
import type { ScaleLogarithmic, ScalePoint } from "d3-scale";
import { line } from "d3-shape";
import { limitReadsText } from "../../model/clinical";
import { formatPercent } from "../../model/format";
import type { VidjilResult } from "../../model/vidjil";
import { s } from "../../ui/dom";

export const LOD_STYLE = `
  .lod-line { fill: none; stroke: #c0392b; stroke-width: 1.5; stroke-dasharray: 6 4; }
  .lod-mark { stroke: #c0392b; stroke-width: 2; }
  .lod-label { font-size: 10px; fill: #c0392b; }
`;

export function lodLine(
  result: VidjilResult,
  indices: readonly number[],
  x: ScalePoint<number>,
  y: ScaleLogarithmic<number, number>,
): SVGGElement | null {
  const points = indices
    .map((index) => ({ index, limit: result.measures?.[index]?.limitOfDetection ?? null }))
    .filter((point) => point.limit !== null && point.limit.fraction > 0);
  if (points.length === 0) return null;
  const at = (index: number) => x(index) ?? 0;
  const level = (fraction: number) => y(fraction);
  const title = points
    .map(({ index, limit }) => {
      const name = result.samples[index]?.name ?? "";
      return `${name}: ${formatPercent(limit?.fraction ?? 0)} (${limit ? limitReadsText(limit) : ""})`;
    })
    .join("\n");
  const group = s(
    "g",
    { class: "lod", "data-testid": "lod-line" },
    s("title", {}, `Limit of detection\n${title}`),
  );
  const path = line<{ index: number; fraction: number }>()
    .x((point) => at(point.index))
    .y((point) => level(point.fraction));
  const joined = points.map(({ index, limit }) => ({ index, fraction: limit?.fraction ?? 0 }));
  if (joined.length > 1) group.append(s("path", { class: "lod-line", d: path(joined) ?? "" }));
  for (const point of joined) {
    const cx = at(point.index);
    const cy = level(point.fraction);
    group.append(s("line", { class: "lod-mark", x1: cx - 14, x2: cx + 14, y1: cy, y2: cy }));
  }
  const last = joined[joined.length - 1];
  if (last) {
    group.append(
      s("text", { class: "lod-label", x: at(last.index) + 18, y: level(last.fraction) + 3 }, "LoD"),
    );
  }
  return group;
}
