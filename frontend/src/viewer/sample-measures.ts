/**
 * A sample's clinical measures in the read statistics: diversity of all its loci and per locus
 * (Shannon's H, Vidjil's equitability E, Simpson's Ds, Pielou's J), its limit of detection and
 * its spike-in normalisation.
 */
import { type Diversity, limitReadsText, type SampleMeasures } from "../model/clinical";
import { formatCount, formatPercent } from "../model/format";
import { h } from "../ui/dom";

function value(number: number | null, digits = 3): string {
  return number === null ? "–" : number.toFixed(digits);
}

function diversityRow(label: string, diversity: Diversity): HTMLElement {
  return h(
    "tr",
    {},
    h("th", { scope: "row" }, label),
    h("td", { class: "numeric" }, value(diversity.shannon)),
    h("td", { class: "numeric" }, value(diversity.equitability)),
    h("td", { class: "numeric" }, value(diversity.simpson)),
    h("td", { class: "numeric" }, value(diversity.pielou)),
    h("td", { class: "numeric" }, diversity.clones === null ? "–" : formatCount(diversity.clones)),
  );
}

function diversityTable(measures: SampleMeasures): HTMLElement | null {
  if (measures.diversity === null) return null;
  const heads = [
    ["H", "Shannon's entropy"],
    ["E", "Shannon's equitability (Vidjil's: H / ln reads)"],
    ["Ds", "Simpson's diversity: the chance that two reads are of different clones"],
    ["J", "Pielou's evenness: H / ln clones"],
    ["clones", "clones counted"],
  ];
  return h(
    "table",
    { class: "stats diversity", "data-testid": "diversity" },
    h("caption", {}, "Diversity"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", {}),
        ...heads.map(([label, title]) => h("th", { scope: "col", class: "numeric", title }, label)),
      ),
    ),
    h(
      "tbody",
      {},
      diversityRow("all loci", measures.diversity),
      ...[...measures.diversityPerLocus.entries()].map(([locus, diversity]) =>
        diversityRow(locus, diversity),
      ),
    ),
  );
}

export function sampleMeasuresBlock(measures: SampleMeasures | undefined): HTMLElement | null {
  if (!measures) return null;
  const limit = measures.limitOfDetection;
  const notes = [
    limit
      ? `Limit of detection: ${formatPercent(limit.fraction)} of the segmented reads (${limitReadsText(limit)})`
      : "",
    measures.coefficient !== null
      ? `Normalised by spike-ins: ${measures.coefficient.toPrecision(3)} copies per read` +
        (measures.spikeReads !== null ? ` (${formatCount(measures.spikeReads)} spike-in reads)` : "")
      : "",
  ].filter(Boolean);
  const table = diversityTable(measures);
  if (table === null && notes.length === 0) return null;
  return h(
    "div",
    { class: "sample-measures" },
    table,
    ...notes.map((note) => h("p", { class: "clinical-note" }, note)),
  );
}
