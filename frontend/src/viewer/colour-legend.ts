/**
 * "Colour by" and its legend, above the plots: the choice applies to every view (list, grid,
 * bars, graph, sequences) and is remembered with the other view preferences.
 */
import { COLOUR_BY, GRADIENT_ENDS, isColourBy } from "../model/colours";
import type { Store } from "./state";
import { h, morphChildren } from "../ui/dom";

const MOST_ITEMS = 14;

export function mountColourLegend(container: HTMLElement, store: Store): void {
  const picker = h(
    "select",
    { id: "colour-by", "aria-label": "Colour by" },
    ...COLOUR_BY.map((option) => h("option", { value: option.id }, option.label)),
  );
  picker.addEventListener("change", () => {
    if (isColourBy(picker.value)) store.update({ colourBy: picker.value });
  });
  const legend = h("ul", {
    class: "legend-items",
    "aria-label": "Colour legend",
    "data-testid": "colour-legend",
  });
  container.append(h("label", { class: "colour-by" }, "Colour by ", picker), legend);
  let drawn: unknown = null;
  store.subscribe((state) => {
    container.hidden = state.result === null;
    if (state.result === null) return;
    picker.value = state.colourBy;
    const scale = store.colourScale();
    if (scale === drawn) return;
    drawn = scale;
    if (scale.kind === "gradient") {
      const [low, high] = scale.legend;
      morphChildren(legend, [
        h(
          "li",
          { class: "gradient" },
          h("span", {}, low?.label ?? ""),
          h("span", {
            class: "gradient-bar",
            style: `background:linear-gradient(to right, ${GRADIENT_ENDS.join(", ")})`,
          }),
          h("span", {}, high?.label ?? ""),
          h("span", { class: "muted" }, " grey: unknown"),
        ),
      ]);
      return;
    }
    const shown = scale.legend.slice(0, MOST_ITEMS);
    const more = scale.legend.length - shown.length;
    morphChildren(legend, [
      ...shown.map((item) =>
        h(
          "li",
          { title: item.count === undefined ? item.label : `${item.label}: ${item.count} clones shown` },
          h("span", { class: "swatch", style: `background:${item.colour}`, "aria-hidden": "true" }),
          item.label,
          item.count === undefined ? "" : h("span", { class: "muted legend-count" }, String(item.count)),
        ),
      ),
      ...(more > 0 ? [h("li", { class: "muted" }, `+${more} more`)] : []),
    ]);
  });
}
