/**
 * The grid's bubbles, patched in place: a redraw (a sample, a colour, a clustering) changes the
 * attributes that differ on the circles already drawn, adds the new ones and drops the gone ones,
 * instead of building 200 circles and their titles again to compare them with those in the page.
 */
import { s } from "../../ui/dom";

export interface Bubble {
  id: string;
  cx: number;
  cy: number;
  r: number;
  fill: string;
  selected: boolean;
  title: string;
}

/** The group that holds the bubbles: `morph` leaves its children to `patchBubbles`. */
export function bubbleLayer(): SVGGElement {
  return s("g", { class: "bubbles", "data-patched": "" });
}

function setIfChanged(element: Element, name: string, value: string): void {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

function draw(circle: SVGCircleElement, bubble: Bubble): void {
  setIfChanged(circle, "cx", String(bubble.cx));
  setIfChanged(circle, "cy", String(bubble.cy));
  setIfChanged(circle, "r", String(bubble.r));
  setIfChanged(circle, "fill", bubble.fill);
  setIfChanged(circle, "class", bubble.selected ? "bubble selected" : "bubble");
  const title = circle.firstElementChild;
  if (title === null) circle.append(s("title", {}, bubble.title));
  else if (title.textContent !== bubble.title) title.textContent = bubble.title;
}

/** Gives `layer` one circle per bubble, in this order (the last drawn on top). */
export function patchBubbles(layer: Element, bubbles: readonly Bubble[]): void {
  const drawn = new Map<string, SVGCircleElement>();
  for (const child of layer.children) {
    if (child instanceof SVGCircleElement && child.dataset.id) drawn.set(child.dataset.id, child);
  }
  let cursor = layer.firstElementChild;
  for (const bubble of bubbles) {
    const circle = drawn.get(bubble.id) ?? s("circle", { "data-id": bubble.id });
    drawn.delete(bubble.id);
    draw(circle, bubble);
    if (circle === cursor) cursor = cursor.nextElementSibling;
    else layer.insertBefore(circle, cursor);
  }
  while (cursor !== null) {
    const next: Element | null = cursor.nextElementSibling;
    cursor.remove();
    cursor = next;
  }
}
