/**
 * Read statistics per sample: read pairs merged (paired-end samples), analysed and segmented
 * reads, reads per locus, unsegmented causes.
 */
import { formatCount, formatPercent } from "../model/format";
import { medianOverlap, type PairMerging, unsegmentedReasons } from "../model/read-stats";
import type { Sample, VidjilResult } from "../model/vidjil";
import type { Store } from "./state";
import { h } from "../ui/dom";
import { sampleMeasuresBlock } from "./sample-measures";

export function mountReadStats(container: HTMLElement, store: Store): void {
  let drawn: unknown;
  store.subscribe((state) => {
    const result = state.result;
    // The statistics are the result's own: a click elsewhere leaves them as they are.
    if (result === drawn) return;
    drawn = result;
    if (result === null) {
      container.replaceChildren();
      return;
    }
    container.replaceChildren(
      h(
        "div",
        { class: "read-stats", "data-testid": "read-stats" },
        ...result.samples.map((sample, index) => sampleCard(result, sample, index)),
      ),
    );
  });
}

function bar(share: number, colour: string): HTMLElement {
  const width = Math.max(0, Math.min(100, share * 100));
  return h(
    "span",
    { class: "bar", "aria-hidden": "true" },
    h("span", { style: `width:${width}%;background:${colour}` }),
  );
}

const ANALYSED = { r1: "their R1 analysed", both: "both reads analysed", drop: "not analysed" };

function mergingTable(merging: PairMerging): HTMLElement {
  const row = (label: string, pairs: number, colour: string) => {
    const share = merging.pairs ? pairs / merging.pairs : 0;
    return h(
      "tr",
      {},
      h("th", { scope: "row" }, label),
      h("td", { class: "numeric" }, formatCount(pairs)),
      h("td", { class: "numeric" }, formatPercent(share)),
      h("td", {}, bar(share, colour)),
    );
  };
  const lengths = merging.overlaps.map(([length]) => length);
  const overlap = lengths.length
    ? `overlap ${lengths[0]}–${lengths[lengths.length - 1]} nt, median ${medianOverlap(merging.overlaps)} nt`
    : "";
  const analysed = ANALYSED[merging.unmergedAnalysed as keyof typeof ANALYSED] ?? "";
  const notes = [
    overlap,
    merging.staggered ? `${formatCount(merging.staggered)} shorter than a read` : "",
    analysed ? `unmerged pairs: ${analysed} (${formatCount(merging.unmergedReads)} reads)` : "",
  ].filter(Boolean);
  return h(
    "table",
    { class: "stats", "data-testid": "pair-merging" },
    h("caption", {}, `Paired-end reads: ${formatCount(merging.pairs)} pairs`),
    h(
      "tbody",
      {},
      row("merged", merging.merged, "#4f9a6b"),
      ...merging.unmerged.map((reason) => row(`not merged: ${reason.label}`, reason.reads, "#c0803a")),
    ),
    notes.length
      ? h("tfoot", {}, h("tr", {}, h("td", { colspan: 4, class: "muted" }, notes.join(" · "))))
      : null,
  );
}

/** What to say when the log gives no reasons: often there is nothing to explain. */
export function unsegmentedNote(unsegmented: number): string {
  if (unsegmented === 0) return "Every read was segmented.";
  return `Not segmented: ${formatCount(unsegmented)} reads (this result's log gives no reasons).`;
}

export function sampleCard(result: VidjilResult, sample: Sample, index: number): HTMLElement {
  const total = sample.totalReads ?? sample.segmentedReads;
  const segmented = sample.segmentedReads;
  const loci = [...result.lociReads.entries()].sort((a, b) => (b[1][index] ?? 0) - (a[1][index] ?? 0));
  const reasons = unsegmentedReasons(sample.log);
  const unsegmented = Math.max(0, total - segmented);
  return h(
    "section",
    { class: "sample-card" },
    h("h3", {}, sample.name, h("span", { class: "muted" }, ` ${sample.originalName}`)),
    h(
      "p",
      {},
      `${formatCount(segmented)} of ${formatCount(total)} reads segmented (${formatPercent(total ? segmented / total : 0)})`,
      sample.timestamp ? h("span", { class: "muted" }, ` · ${sample.timestamp}`) : null,
    ),
    sample.merging ? mergingTable(sample.merging) : null,
    sampleMeasuresBlock(result.measures?.[index]),
    h(
      "table",
      { class: "stats" },
      h("caption", {}, "Segmented reads per locus"),
      h(
        "tbody",
        {},
        ...loci.map(([locus, values]) => {
          const reads = values[index] ?? 0;
          const share = segmented ? reads / segmented : 0;
          return h(
            "tr",
            {},
            h("th", { scope: "row" }, locus),
            h("td", { class: "numeric" }, formatCount(reads)),
            h("td", { class: "numeric" }, formatPercent(share)),
            h("td", {}, bar(share, "#5c7cba")),
          );
        }),
      ),
    ),
    reasons.length
      ? h(
          "table",
          { class: "stats" },
          h("caption", {}, `Not segmented: ${formatCount(unsegmented)} reads, because…`),
          h(
            "tbody",
            {},
            ...reasons.map((reason) => {
              const share = unsegmented ? reason.reads / unsegmented : 0;
              return h(
                "tr",
                {},
                h("th", { scope: "row" }, reason.label),
                h("td", { class: "numeric" }, formatCount(reason.reads)),
                h("td", { class: "numeric" }, formatPercent(share)),
                h("td", {}, bar(share, "#c0803a")),
              );
            }),
          ),
        )
      : h("p", { class: "muted" }, unsegmentedNote(unsegmented)),
    sample.commandLine ? h("p", { class: "muted command" }, sample.commandLine) : null,
  );
}
