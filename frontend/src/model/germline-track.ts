/**
 * A germline gene's own sequence laid under a clone (Vidjil's "add germline genes" in the
 * aligner), placed by the designation: the clone's V part ends where the gene minus its 3'
 * deletion ends, its J part starts at the gene's base after the 5' deletion, a D both. Where the
 * clone has the germline base the track shows ".", a mutation shows the germline base, and the
 * nucleotides the recombination deleted are shown in lower case past the gene's end in the clone.
 */
import type { GeneSegment } from "./vidjil";

export type GeneRole = "v" | "d" | "j";

export interface GermlineCell {
  text: string;
  kind: "match" | "mutation" | "deleted";
}

/** For each position of the clone: the germline base there, or null where the gene is not. */
export function germlineTrack(
  cloneSequence: string,
  segment: GeneSegment,
  role: GeneRole,
  germline: string,
): (GermlineCell | null)[] {
  const gene = germline.toUpperCase();
  // Index of the germline base facing the clone's first base of the segment.
  const first =
    role === "v" ? gene.length - segment.deletedRight - (segment.end - segment.start) : segment.deletedLeft;
  const offset = first - segment.start;
  return [...cloneSequence].map((base, position) => {
    const index = position + offset;
    if (index < 0 || index >= gene.length) return null;
    const germlineBase = gene[index] as string;
    const inSegment = position >= segment.start && position < segment.end;
    const deleted =
      (role !== "j" && index >= gene.length - segment.deletedRight) ||
      (role !== "v" && index < segment.deletedLeft);
    if (!inSegment && deleted) return { text: germlineBase.toLowerCase(), kind: "deleted" };
    if (!inSegment && position > segment.start && role !== "j") return null;
    if (!inSegment && position < segment.start && role !== "v") return null;
    return germlineBase === base ? { text: ".", kind: "match" } : { text: germlineBase, kind: "mutation" };
  });
}
