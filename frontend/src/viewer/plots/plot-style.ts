/** CSS embedded in each plot's SVG, so exported SVG and PNG files look like the screen. */
export const PLOT_STYLE = `
  text { font-family: system-ui, "Segoe UI", "DejaVu Sans", Arial, sans-serif; font-size: 11px; fill: #333; }
  .axis path, .axis line { stroke: #888; }
  .axis-label { font-size: 12px; font-weight: 600; fill: #444; }
  .bubble { fill-opacity: 0.75; stroke: #fff; stroke-width: 1; cursor: pointer; }
  .bubble.selected { fill-opacity: 1; stroke: #111; stroke-width: 2.5; }
  .curve { fill: none; stroke-width: 2; stroke-opacity: 0.8; cursor: pointer; }
  .curve.selected { stroke-width: 4.5; stroke-opacity: 1; }
  .curve.dimmed { stroke-opacity: 0.25; }
  .curve.smaller { stroke-width: 1.5; stroke-dasharray: 5 3; stroke-opacity: 1; }
  .tick[data-sample] { cursor: grab; }
  .point { cursor: pointer; }
  .undetected { fill: #f1f1f1; }
  .undetected-label { font-size: 10px; fill: #777; }
  .sample-line { stroke: #ddd; }
  .sample-date { font-size: 10px; fill: #666; font-weight: 400; }
  .bar-segment { stroke: #fff; stroke-width: 0.5; cursor: pointer; }
  .bar-segment.selected { stroke: #111; stroke-width: 2; }
  .lasso { fill: rgba(31, 95, 168, 0.12); stroke: #1f5fa8; stroke-dasharray: 4 3; }
  .current-sample { stroke: #555; stroke-dasharray: 3 3; }
  .cll-cutoff { stroke: #a04010; stroke-dasharray: 5 3; }
  .cll-cutoff-label { font-size: 10px; fill: #a04010; }
`;

/** Sizes the ResizeObserver reported: reading them back costs no layout in a click's handler. */
const observedSizes = new WeakMap<HTMLElement, { width: number; height: number }>();

/** The plot's size on screen, so that text is drawn at its real size; a default when hidden. */
export function plotSize(element: HTMLElement): { width: number; height: number } {
  const observed = observedSizes.get(element);
  const width = Math.floor(observed?.width ?? element.clientWidth);
  const height = Math.floor(observed?.height ?? element.clientHeight);
  return width > 50 && height > 50 ? { width, height } : { width: 560, height: 330 };
}

/** Redraws when the element changes size (window resize, a panel shown or hidden). */
export function redrawOnResize(element: HTMLElement, redraw: () => void): void {
  let last = "";
  new ResizeObserver((records) => {
    const box = records[records.length - 1]?.contentRect;
    if (box) observedSizes.set(element, { width: box.width, height: box.height });
    const size = `${box?.width}x${box?.height}`;
    if (size === last) return;
    last = size;
    redraw();
  }).observe(element);
}

/** The panel's title with a control at its right (the grid's presets, the graph's samples). */
export function panelHead(panel: HTMLElement, control: HTMLElement): void {
  const title = panel.querySelector("h2");
  const head = document.createElement("div");
  head.className = "panel-head";
  if (title) title.replaceWith(head);
  head.append(...(title ? [title] : []), control);
}
