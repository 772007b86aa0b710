/** Category axis labels that stay readable however many categories there are. */

const LABEL_HEIGHT = 11;

/**
 * Keeps category labels readable however many genes there are: slanted, then vertical, then
 * only every n-th label when the cells are narrower than a line of text.
 */
export function fitCategoryLabels(axis: SVGGElement, step: number, direction: "x" | "y"): void {
  const every = Math.max(1, Math.ceil(LABEL_HEIGHT / step));
  const labels = [...axis.querySelectorAll<SVGTextElement>("g.tick text")];
  labels.forEach((label, index) => {
    if (index % every !== 0) label.remove();
  });
  if (direction === "y") return;
  for (const label of axis.querySelectorAll<SVGTextElement>("g.tick text")) {
    label.setAttribute("transform", step < 30 ? "rotate(-90)" : "rotate(-30)");
    label.setAttribute("text-anchor", "end");
    if (step < 30) {
      label.setAttribute("dy", "0.32em");
      label.setAttribute("x", "-9");
      label.setAttribute("y", "0");
    }
  }
}
