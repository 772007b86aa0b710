/**
 * The clone list's clinical cells: V identity with the CLL wording for IGH, the reads with
 * Vidjil's "+" under 5 reads and the MRD detection of fused results, the % with the normalised
 * value of samples normalised by spike-ins.
 */
import {
  detectionText,
  FEW_READS,
  formatIdentity,
  formatNormalized,
  mutationStatus,
  CLL_CUTOFF,
} from "../model/clinical";
import { formatCount, formatPercent } from "../model/format";
import type { Clone } from "../model/vidjil";
import { h } from "../ui/dom";

export function identityCell(clone: Clone): HTMLElement {
  const identity = clone.measures?.vIdentity ?? null;
  if (identity === null) return h("td", { class: "numeric v-identity" });
  const status = mutationStatus(clone.locus, identity);
  const title = [
    `${formatIdentity(identity)} identical to ${identity.allele} over the V region (to the Cys codon)`,
    status
      ? `CLL: ${status} (IGHV identity ${status === "mutated" ? "under" : "at least"} ${CLL_CUTOFF}%)`
      : "",
  ]
    .filter(Boolean)
    .join("\n");
  return h(
    "td",
    { class: "numeric v-identity", title, "data-status": status || null },
    identity.percent >= 99.95 ? "100" : identity.percent.toFixed(1),
    // the list is narrow: "M" / "U", the words in the title and the clone info
    status
      ? h(
          "span",
          { class: `mutation-status ${status}`, "aria-label": status },
          status === "mutated" ? "M" : "U",
        )
      : null,
  );
}

/**
 * The reads of a clone (not a cluster) in a sample. The marks ("+" under 5 reads, "<LoD",
 * "n.d.") are drawn by the style sheet from data attributes: the cell's text stays the count.
 */
export function readsCell(clone: Clone | null, reads: number, sample: number): HTMLElement {
  const detection = clone?.measures?.detection[sample] ?? null;
  const below = clone?.measures?.belowThreshold[sample] ?? false;
  const few = reads > 0 && reads < FEW_READS;
  const title = [
    detectionText(detection, reads),
    few ? `fewer than ${FEW_READS} reads (+): too few to quantify reliably` : "",
    below ? "counted in the sample's window counts, under its config's thresholds" : "",
  ]
    .filter(Boolean)
    .join("\n");
  return h(
    "td",
    {
      class: "numeric reads",
      title: title || null,
      "data-detection": detection,
      "data-few": few ? "true" : null,
    },
    reads > 0 ? formatCount(reads) : "–",
  );
}

/** The % of the sample's segmented reads, with the normalised value beside it (style sheet). */
export function percentCell(clone: Clone | null, share: number, sample: number): HTMLElement {
  const normalized = clone?.measures?.normalized[sample] ?? null;
  const title =
    normalized !== null
      ? `${formatPercent(share)} of the segmented reads; normalised by the spike-ins: ${formatNormalized(normalized)}`
      : null;
  return h(
    "td",
    {
      class: "numeric percent",
      title,
      "data-normalized": normalized !== null ? formatNormalized(normalized).replace(" of cells", "c") : null,
    },
    formatPercent(share),
  );
}
