/** Tiny DOM helpers: element creation without a framework, SVG included. */

type Attributes = Record<string, string | number | boolean | null | undefined>;
type Child = Node | string | null | undefined | false;

function setAttributes(element: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  for (const child of children)
    if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

const SVG_NS = "http://www.w3.org/2000/svg";

export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  setAttributes(element, attributes);
  for (const child of children)
    if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/** True when a key press is meant for a text field, not for a page shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

/**
 * Makes `current` look like `next` (a fresh rendering of it) by changing only what differs:
 * attributes, texts, and the children position by position. The browser keeps the style and
 * layout of every node left as it was, so a redraw costs what changed (a sample's numbers, a
 * colour), not a rebuild of the whole view. Returns the node now in the page.
 */
export function morph(current: Node, next: Node): Node {
  if (current.nodeType !== next.nodeType || current.nodeName !== next.nodeName) {
    current.parentNode?.replaceChild(next, current);
    return next;
  }
  if (current instanceof Element && next instanceof Element) {
    morphAttributes(current, next);
    // An element marked `data-patched` has its children kept up to date by its view itself.
    if (!next.hasAttribute("data-patched")) morphChildren(current, next);
  } else if (current.nodeValue !== next.nodeValue) {
    current.nodeValue = next.nodeValue;
  }
  return current;
}

/** Gives `parent` the children of `next`, reusing its own in order (see `morph`). */
export function morphChildren(parent: Node, next: Node | readonly Node[]): void {
  const wanted = Array.isArray(next) ? next : [...(next as Node).childNodes];
  let current = parent.firstChild;
  for (const node of wanted) {
    if (current === null) {
      parent.appendChild(node);
      continue;
    }
    const following = current.nextSibling;
    morph(current, node);
    current = following;
  }
  while (current !== null) {
    const following: ChildNode | null = current.nextSibling;
    parent.removeChild(current);
    current = following;
  }
}

function morphAttributes(current: Element, next: Element): void {
  for (const name of current.getAttributeNames()) {
    if (!next.hasAttribute(name)) current.removeAttribute(name);
  }
  for (const name of next.getAttributeNames()) {
    const value = next.getAttribute(name) as string;
    if (current.getAttribute(name) !== value) current.setAttribute(name, value);
  }
}

/** A child to show: `key` names everything its rendering depends on; `build` renders it. */
export interface KeyedChild {
  key: string;
  build: () => Element;
}

/**
 * Shows `children` in `parent`, given the keys of what it shows now (`shown`, position by
 * position): a child whose key is unchanged is left alone, unbuilt; the others are built and
 * morphed into place. Returns the keys now shown.
 */
export function patchChildren(
  parent: Element,
  children: readonly KeyedChild[],
  shown: readonly string[],
): string[] {
  let current = parent.firstElementChild;
  children.forEach((child, position) => {
    if (current !== null && shown[position] === child.key) {
      current = current.nextElementSibling;
      return;
    }
    const built = child.build();
    if (current === null) {
      parent.append(built);
      return;
    }
    const following = current.nextElementSibling;
    morph(current, built);
    current = following;
  });
  while (current !== null) {
    const following: Element | null = current.nextElementSibling;
    current.remove();
    current = following;
  }
  return children.map((child) => child.key);
}

const objectIds = new WeakMap<object, number>();
let lastObjectId = 0;

/** A number naming an object for as long as it lives: for keys of what a view shows. */
export function objectId(value: object): number {
  let id = objectIds.get(value);
  if (id === undefined) {
    id = ++lastObjectId;
    objectIds.set(value, id);
  }
  return id;
}
