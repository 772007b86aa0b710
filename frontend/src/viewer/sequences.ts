/**
 * The sequence view: selected clones one per line, V, D, J, N and CDR3 coloured. The first
 * selected clone is the reference; the others are aligned onto it and show "." where they match,
 * a mutation underlined once, a silent one (same amino acid) twice, as in Vidjil. In amino acids,
 * `*` is a stop codon and `#` the frameshift of an out-of-frame junction. The germline genes of
 * the reference can be laid under it: "." where the clone keeps the germline base.
 */
import { project } from "../model/align";
import type { Entry } from "../model/entries";
import { type GeneRole, germlineTrack } from "../model/germline-track";
import { aminoAcidTrack, isOutOfFrame, isSilent } from "../model/translation";
import type { Clone, GeneSegment } from "../model/vidjil";
import type { Store } from "./state";
import { h, morphChildren } from "../ui/dom";
import { germlineGenes } from "./germline-genes";

type Region = "v" | "d" | "j" | "n" | "out";

interface Options {
  align: boolean;
  aminoAcids: boolean;
  germline: boolean;
}

interface Character {
  text: string;
  region: Region;
  cdr3: boolean;
  extra?: string;
}

export function mountSequences(container: HTMLElement, store: Store): void {
  const options: Options = { align: true, aminoAcids: false, germline: false };
  const alignBox = h("input", { type: "checkbox", id: "align-sequences", checked: true });
  const aaBox = h("input", { type: "checkbox", id: "show-aa" });
  const germlineBox = h("input", { type: "checkbox", id: "show-germline" });
  const germlineLabel = h("label", {}, germlineBox, " Germline genes");
  const legend = h(
    "span",
    { class: "legend", "aria-label": "Colour legend" },
    ...["V", "N", "D", "J"].map((name) => h("span", { class: `region-${name.toLowerCase()}` }, name)),
    h("span", { class: "cdr3-mark" }, "CDR3"),
    h("span", { class: "mismatch" }, "mutation"),
    h("span", { class: "mismatch silent" }, "silent"),
    h("span", { class: "stop" }, "* stop"),
    h("span", { class: "frameshift" }, "# frameshift"),
  );
  const lines = h("div", { class: "sequence-lines", "data-testid": "sequence-view" });
  container.append(
    h(
      "div",
      { class: "sequence-controls" },
      h("label", {}, alignBox, " Align to the first selected clone"),
      h("label", {}, aaBox, " Amino acids"),
      germlineLabel,
      legend,
    ),
    lines,
  );
  let germline: GermlineLine[] = [];
  let request = 0;
  const redraw = () => {
    render(lines, store, options, germline);
    // Measured at the next frame, when the page is laid out anyway: no extra layout in a click.
    requestAnimationFrame(() => showJunction(lines));
  };
  const refresh = () => {
    germline = [];
    const reference = store.selectedEntries()[0];
    if (options.germline && reference) void loadGermline(store, reference.clone, ++request).then(apply);
    redraw();
  };
  const apply = ({ id, lines: loaded }: { id: number; lines: GermlineLine[] }) => {
    if (id !== request) return;
    germline = loaded;
    redraw();
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
  germlineBox.addEventListener("change", () => {
    options.germline = germlineBox.checked;
    refresh();
  });
  let drawn: readonly unknown[] = [];
  store.subscribe((state) => {
    germlineBox.disabled = state.serverNames === null;
    germlineLabel.title = germlineBox.disabled
      ? "The germline sequences come from the server: open the result from its set"
      : "Show the germline V, D and J genes under the first selected clone";
    const inputs = [state.selection, store.entries(), store.colourScale()];
    if (inputs.every((input, i) => input === drawn[i])) return;
    // The germline genes are the reference clone's: a new colour keeps them.
    const sameReference =
      drawn[1] === inputs[1] && (drawn[0] as string[] | undefined)?.[0] === state.selection[0];
    drawn = inputs;
    if (sameReference) redraw();
    else refresh();
  });
}

interface GermlineLine {
  name: string;
  cells: ({ text: string; kind: string } | null)[];
}

async function loadGermline(
  store: Store,
  clone: Clone,
  id: number,
): Promise<{ id: number; lines: GermlineLine[] }> {
  const genes = (["v", "d", "j"] as const)
    .map((role) => ({ role, segment: clone[role] }))
    .filter((gene): gene is { role: GeneRole; segment: GeneSegment } => gene.segment !== null);
  try {
    const sequences = await germlineGenes(
      store,
      genes.map((gene) => gene.segment.name),
    );
    const lines = genes.map(({ role, segment }) => {
      const germline = sequences.get(segment.name);
      return {
        name: germline ? `${segment.name} (germline)` : `${segment.name}: not in this germline set`,
        cells: germline ? germlineTrack(clone.sequence, segment, role, germline) : [],
      };
    });
    return { id, lines };
  } catch (error) {
    store.update({ error: (error as Error).message });
    return { id, lines: [] };
  }
}

function render(container: HTMLElement, store: Store, options: Options, germline: GermlineLine[]): void {
  const entries = store.selectedEntries();
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
  const lines = entries.map((entry, index) => {
    const cells = options.aminoAcids
      ? aminoAcidCells(entry.clone)
      : index > 0 && options.align
        ? alignedCells(reference.clone, entry.clone)
        : nucleotideCells(entry.clone);
    return sequenceLine(entry, store.colourOf(entry), cells);
  });
  const germlineLines =
    options.germline && !options.aminoAcids
      ? germline.map((line) => germlineLine(line, reference.clone))
      : [];
  // Lines already drawn keep their nodes: a new colour changes the swatches alone.
  const [first, ...others] = lines;
  morphChildren(
    container,
    [first, ...germlineLines, ...others, hint].filter((line) => line != null),
  );
}

function frameBadges(clone: Clone): HTMLElement[] {
  const badges: HTMLElement[] = [];
  if (clone.junction !== null && isOutOfFrame(clone))
    badges.push(
      h(
        "span",
        { class: "clone-badge unproductive", title: "The junction's length is not a multiple of 3" },
        "out of frame",
      ),
    );
  if (aminoAcidTrack(clone).includes("*"))
    badges.push(
      h(
        "span",
        { class: "clone-badge unproductive", title: "A stop codon in the reading frame" },
        "stop codon",
      ),
    );
  return badges;
}

function sequenceLine(entry: Entry, colour: string, cells: HTMLElement[]): HTMLElement {
  return h(
    "div",
    { class: "sequence-line", "data-id": entry.id },
    h(
      "span",
      { class: "sequence-name", title: entry.name },
      h("span", { class: "swatch", style: `background:${colour}` }),
      entry.name,
      ...frameBadges(entry.clone),
    ),
    h("code", { class: "sequence" }, ...cells),
  );
}

function germlineLine(line: GermlineLine, clone: Clone): HTMLElement {
  const characters: Character[] = line.cells.map((cell, position) =>
    cell === null
      ? { text: " ", region: "out", cdr3: false }
      : { text: cell.text, region: regionAt(clone, position), cdr3: false, extra: `germline-${cell.kind}` },
  );
  return h(
    "div",
    { class: "sequence-line germline-line" },
    h("span", { class: "sequence-name", title: line.name }, line.name),
    h("code", { class: "sequence" }, ...runs(characters)),
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
function runs(characters: Character[]): HTMLElement[] {
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
    positions.map((position, i): Character => {
      const insertion = insertionsAfter.has(i) ? "insertion" : "";
      if (position === null) return { text: "-", region: "out", cdr3: false, extra: "gap" };
      const base = clone.sequence[position] ?? "-";
      const same = base === reference.sequence[i];
      const mark = same ? "" : isSilent(reference, i, clone, position) ? "mismatch silent" : "mismatch";
      return {
        text: same ? "." : base,
        region: regionAt(clone, position),
        cdr3: inCdr3(clone, position),
        extra: [mark, insertion].join(" ").trim() || undefined,
      };
    }),
  );
}

/** Amino acids centred on their codons, V in the Cys frame and J in the Phe/Trp frame. */
function aminoAcidCells(clone: Clone): HTMLElement[] {
  const track = aminoAcidTrack(clone);
  return runs(
    track.map((text, i) => ({
      text,
      region: regionAt(clone, i),
      cdr3: inCdr3(clone, i),
      extra: text === "*" ? "stop" : text === "#" ? "frameshift" : undefined,
    })),
  );
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
