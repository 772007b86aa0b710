/** The clone info panel: everything known about the first selected clone, per sample too. */
import { type Entry, fraction, fractionInLocus, productivityLabel } from "../model/entries";
import { formatCount, formatPercent } from "../model/format";
import { tagName } from "../model/tags";
import { isOutOfFrame } from "../model/translation";
import { type Clone, coverageOf, type GeneSegment, type VidjilResult } from "../model/vidjil";
import type { Store } from "./state";
import { h } from "../ui/dom";
import { identityText, mrdTable } from "./clone-measures";

export function mountCloneInfo(container: HTMLElement, store: Store): void {
  let drawn: readonly unknown[] = [];
  store.subscribe((state) => {
    const entry = store.selectedEntries()[0];
    const inputs = [entry, state.result, state.sample, state.analysis.tagNames];
    if (inputs.every((input, i) => input === drawn[i])) return;
    drawn = inputs;
    if (state.result === null || entry === undefined) {
      container.replaceChildren(h("p", { class: "panel-empty" }, "Select a clone to see its details."));
      return;
    }
    container.replaceChildren(details(entry, state.result, state.sample, state.analysis.tagNames));
  });
}

function gene(segment: GeneSegment | null): string {
  if (segment === null) return "–";
  const deletions = [
    segment.deletedLeft ? `${segment.deletedLeft} nt deleted 5′` : "",
    segment.deletedRight ? `${segment.deletedRight} nt deleted 3′` : "",
  ].filter(Boolean);
  const where = segment.end > 0 ? ` (positions ${segment.start + 1}–${segment.end})` : "";
  return `${segment.name}${where}${deletions.length ? `, ${deletions.join(", ")}` : ""}`;
}

function row(label: string, value: string | Node): HTMLElement {
  return h("tr", {}, h("th", { scope: "row" }, label), h("td", {}, value));
}

/** The genes as likely as the designated one (W69), by segment. */
function alternatives(clone: Clone, prefix: "V" | "J"): string {
  const locus = clone.locus.slice(0, 3);
  const same = clone.equalGenes.filter((name) => name.startsWith(`${locus}${prefix}`));
  return same.length > 0 ? same.join(", ") : "none";
}

function coverageText(clone: Clone, sample: number): string {
  const coverage = coverageOf(clone, sample);
  if (coverage === null) return "–";
  const reads = clone.averageReadLength[sample] || Math.max(0, ...clone.averageReadLength);
  const why =
    reads > 0 ? ` (sequence ${clone.sequence.length} nt, reads ${reads.toFixed(0)} nt on average)` : "";
  return `${coverage.toFixed(2)}${why}${coverage < 0.5 ? ": low, the reads disagree outside the window" : ""}`;
}

function frameText(clone: Clone): string {
  if (clone.junction === null) return "–";
  const length = clone.junction.end - clone.junction.start;
  return isOutOfFrame(clone) ? `out of frame (junction ${length} nt)` : `in frame (junction ${length} nt)`;
}

function details(
  entry: Entry,
  result: VidjilResult,
  sample: number,
  tagNames: ReadonlyMap<number, string>,
): HTMLElement {
  const clone = entry.clone;
  const facts = h(
    "table",
    { class: "clone-facts" },
    row("Name", entry.name),
    entry.customName ? row("Designation", clone.name) : null,
    row("Clone id", clone.id),
    row("Locus", clone.locus),
    row("V", gene(clone.v)),
    clone.v ? row("Equally likely V", alternatives(clone, "V")) : null,
    row("D", gene(clone.d)),
    row("J", gene(clone.j)),
    clone.j ? row("Equally likely J", alternatives(clone, "J")) : null,
    row("V identity", identityText(clone)),
    row("Junction (aa)", clone.junction?.aa ?? "–"),
    row("CDR3 (aa)", clone.cdr3?.aa ?? "–"),
    row("CDR3 length", clone.cdr3 ? `${clone.cdr3.end - clone.cdr3.start} nt` : "–"),
    row("Productivity", productivityLabel(clone)),
    row("Reading frame", frameText(clone)),
    row("Sequence length", `${clone.sequence.length} nt`),
    row("Coverage", coverageText(clone, sample)),
    clone.evalue ? row("E-value", clone.evalue) : null,
    row("Tag", entry.tag === null ? "none" : tagName(entry.tag, tagNames)),
    entry.members.length > 1
      ? row("Merged clones", entry.members.map((member) => member.id).join(", "))
      : null,
  );
  const perSample = h(
    "table",
    { class: "per-sample" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Sample"),
        h("th", { scope: "col", class: "numeric" }, "Reads"),
        h("th", { scope: "col", class: "numeric" }, "% of reads"),
        h("th", { scope: "col", class: "numeric" }, `% of ${clone.locus}`),
      ),
    ),
    h(
      "tbody",
      {},
      ...result.samples.map((sample, index) =>
        h(
          "tr",
          {},
          h("td", {}, sample.name),
          h("td", { class: "numeric" }, formatCount(entry.reads[index] ?? 0)),
          h("td", { class: "numeric" }, formatPercent(fraction(entry, result, index))),
          h("td", { class: "numeric" }, formatPercent(fractionInLocus(entry, result, index))),
        ),
      ),
    ),
  );
  const warnings = entry.members.flatMap((member) => member.warnings);
  return h(
    "div",
    { class: "clone-info", "data-testid": "clone-info" },
    facts,
    h(
      "div",
      {},
      perSample,
      mrdTable(entry, result),
      warnings.length
        ? h(
            "ul",
            { class: "warnings" },
            ...warnings.map((warning) =>
              h(
                "li",
                { class: `level-${warning.level}` },
                h("strong", {}, warning.code),
                ` ${warning.message}`,
              ),
            ),
          )
        : h("p", { class: "muted" }, "No warnings."),
    ),
  );
}
