/** The clinical measures of the selected clone in the clone info panel (`clone-info.ts`). */
import {
  CLL_CUTOFF,
  detectionText,
  formatIdentity,
  formatNormalized,
  mutationStatus,
} from "../model/clinical";
import type { Entry } from "../model/entries";
import type { Clone, VidjilResult } from "../model/vidjil";
import { h } from "../ui/dom";

/** "94.1% to IGHV3-23*01: mutated (CLL: IGHV identity under 98%)". */
export function identityText(clone: Clone): string {
  const identity = clone.measures?.vIdentity ?? null;
  if (identity === null) return "–";
  const status = mutationStatus(clone.locus, identity);
  const cll = status
    ? `: ${status} (CLL: IGHV identity ${status === "mutated" ? "under" : "at least"} ${CLL_CUTOFF}%)`
    : "";
  return `${formatIdentity(identity)} to ${identity.allele}${cll}`;
}

/** Per sample: detection with the reads, the normalised value; null when the file has neither. */
export function mrdTable(entry: Entry, result: VidjilResult): HTMLElement | null {
  const measures = entry.members.length === 1 ? entry.clone.measures : undefined;
  if (!measures) return null;
  const detected = measures.detection.some((value) => value !== null);
  const normalised = measures.normalized.some((value) => value !== null);
  if (!detected && !normalised) return null;
  return h(
    "table",
    { class: "per-sample mrd", "data-testid": "clone-mrd" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Sample"),
        detected ? h("th", { scope: "col" }, "MRD") : null,
        normalised ? h("th", { scope: "col", class: "numeric" }, "Normalised") : null,
      ),
    ),
    h(
      "tbody",
      {},
      ...result.samples.map((sample, index) => {
        const limit = result.measures?.[index]?.limitOfDetection ?? null;
        const lod = limit ? ` · limit ${limit.reads.toFixed(1)} reads` : "";
        return h(
          "tr",
          {},
          h("td", {}, sample.name),
          detected
            ? h("td", {}, detectionText(measures.detection[index] ?? null, entry.reads[index] ?? 0) + lod)
            : null,
          normalised
            ? h("td", { class: "numeric" }, formatNormalized(measures.normalized[index] ?? null) || "–")
            : null,
        );
      }),
    ),
  );
}
