/**
 * The sequence view: selected clones one per line, V, D, J, N and CDR3 coloured. The first
 * selected clone is the reference; the others are aligned onto it and show "." where they match.
 */
import { project, translate } from "../model/align";
import { type Entry, entryColour } from "../model/entries";
import type { Clone } from "../model/vidjil";
import type { Store } from "./state";
import { h } from "../ui/dom";

type Region = "v" | "d" | "j" | "n" | "out";

interface Options {
  align: boolean;
  aminoAcids: boolean;
}

export function mountSequences(container: HTMLElement, store: Store): void {
  const options: Options = { align: true, aminoAcids: false };
  const alignBox = h("input", { type: "checkbox", id: "align-sequences", checked: true });
  const aaBox = h("input", { type: "checkbox", id: "show-aa" });
  const legend = h(
    "span",
    { class: "legend", "aria-label": "Colour legend" },
    ...["V", "N", "D", "J"].map((name) => h("span", { class: `region-${name.toLowerCase()}` }, name)),
    h("span", { class: "cdr3-mark" }, "CDR3"),
  );
  const lines = h("div", { class: "sequence-lines", "data-testid": "sequence-view" });
  container.append(
    h(
      "div",
      { class: "sequence-controls" },
      h("label", {}, alignBox, " Align to the first selected clone"),
      h("label", {}, aaBox, " Amino acids"),
      legend,
    ),
    lines,
  );
  const redraw = () => {
    render(lines, store.selectedEntries(), options);
    showJunction(lines);
  };
  alignBox.addEventListener("change", () => {
    options.align = alignBox.checked;
    redraw();
  });
  aaBox.addEventListener("change", () => {
    options.aminoAcids = aaBox.checked;
    // Amino acids are shown per clone, unaligned: say so rather than ignore the box.
    alignBox.disabled = aaBox.checked;
    redraw();
  });
  store.subscribe(redraw);
}

function render(container: HTMLElement, entries: Entry[], options: Options): void {
  if (entries.length === 0) {
    container.replaceChildren(
      h(
        "p",
        { class: "panel-empty" },
        "Select clones in the list, grid or graph to see their sequences here.",
      ),
    );
    return;
  }
  const reference = entries[0] as Entry;
  const hint =
    entries.length === 1
      ? h(
          "p",
          { class: "muted hint" },
          "Ctrl+click other clones to compare them with this one: matches show as dots.",
        )
      : null;
  container.replaceChildren(
    ...entries.map((entry, index) => {
      const cells = options.aminoAcids
        ? aminoAcidCells(entry.clone)
        : index > 0 && options.align
          ? alignedCells(reference.clone, entry.clone)
          : nucleotideCells(entry.clone);
      return h(
        "div",
        { class: "sequence-line", "data-id": entry.id },
        h(
          "span",
          { class: "sequence-name", title: entry.name },
          h("span", { class: "swatch", style: `background:${entryColour(entry)}` }),
          entry.name,
        ),
        h("code", { class: "sequence" }, ...cells),
      );
    }),
    hint ?? "",
  );
}

function regionAt(clone: Clone, position: number): Region {
  const { v, d, j } = clone;
  if (v && position >= v.start && position < v.end) return "v";
  if (d && position >= d.start && position < d.end) return "d";
  if (j && position >= j.start && position < j.end) return "j";
  if (v && j && position >= v.end && position < j.start) return "n";
  return "out";
}

function inCdr3(clone: Clone, position: number): boolean {
  const cdr3 = clone.cdr3 ?? clone.junction;
  return cdr3 !== null && position >= cdr3.start && position < cdr3.end;
}

/** Groups consecutive characters with the same look into one span. */
function runs(characters: { text: string; region: Region; cdr3: boolean; extra?: string }[]): HTMLElement[] {
  const spans: HTMLElement[] = [];
  let current: HTMLElement | null = null;
  let key = "";
  for (const character of characters) {
    const klass = `region-${character.region}${character.cdr3 ? " cdr3" : ""}${character.extra ? ` ${character.extra}` : ""}`;
    if (current === null || klass !== key) {
      current = h("span", { class: klass });
      spans.push(current);
      key = klass;
    }
    current.textContent += character.text;
  }
  return spans;
}

function nucleotideCells(clone: Clone): HTMLElement[] {
  return runs(
    [...clone.sequence].map((base, i) => ({
      text: base,
      region: regionAt(clone, i),
      cdr3: inCdr3(clone, i),
    })),
  );
}

function alignedCells(reference: Clone, clone: Clone): HTMLElement[] {
  const { positions, insertionsAfter } = project(reference.sequence, clone.sequence);
  return runs(
    positions.map((position, i) => {
      const insertion = insertionsAfter.has(i) ? "insertion" : undefined;
      if (position === null) return { text: "-", region: "out", cdr3: false, extra: "gap" };
      const base = clone.sequence[position] ?? "-";
      const same = base === reference.sequence[i];
      return {
        text: same ? "." : base,
        region: regionAt(clone, position),
        cdr3: inCdr3(clone, position),
        extra: [same ? "" : "mismatch", insertion ?? ""].join(" ").trim() || undefined,
      };
    }),
  );
}

/** Amino acids in the junction's reading frame, each centred on its codon's three columns. */
function aminoAcidCells(clone: Clone): HTMLElement[] {
  const frame = (clone.junction?.start ?? 0) % 3;
  const protein = translate(clone.sequence, frame);
  const characters = [...clone.sequence].map((_, i) => {
    const codon = Math.floor((i - frame) / 3);
    const middle = i >= frame && (i - frame) % 3 === 1 && codon < protein.length;
    const aa = middle ? (protein[codon] ?? " ") : " ";
    return {
      text: aa,
      region: regionAt(clone, i),
      cdr3: inCdr3(clone, i),
      extra: aa === "*" ? "stop" : undefined,
    };
  });
  return runs(characters);
}

/** Long reads put the CDR3 far right: scroll so the reference's CDR3 is in view, as Vidjil does. */
function showJunction(container: HTMLElement): void {
  const cdr3 = container.querySelector<HTMLElement>(".sequence-line .cdr3");
  const name = container.querySelector<HTMLElement>(".sequence-name");
  if (cdr3 === null || name === null) return;
  const cdr3Right = cdr3.offsetLeft + cdr3.offsetWidth;
  const visible = container.clientWidth;
  if (cdr3Right <= visible) {
    container.scrollLeft = 0;
    return;
  }
  container.scrollLeft = Math.max(0, cdr3.offsetLeft - name.offsetWidth - visible / 3);
}
