/**
 * Reading frames of a clone, for the sequence panel's marks (Vidjil's aligner): the V part is read
 * in the frame of the junction's first codon (the conserved Cys), the J part in the frame of its
 * last (Phe/Trp). An out-of-frame clone has two frames that differ: the nucleotides between them
 * belong to no codon and are shown as "#", the frameshift. `*` is a stop codon.
 */
import { translate } from "./align";
import type { Clone } from "./vidjil";

export interface Frames {
  v: number;
  j: number;
  /** Where the J frame takes over (the J gene's start, or the junction's middle). */
  cut: number;
}

export function framesOf(clone: Clone): Frames {
  const junction = clone.junction;
  if (junction === null) return { v: 0, j: 0, cut: clone.sequence.length };
  const v = junction.start % 3;
  const j = junction.end % 3;
  const middle = Math.floor((junction.start + junction.end) / 2);
  const cut =
    clone.j && clone.j.start > junction.start && clone.j.start < junction.end ? clone.j.start : middle;
  return { v, j, cut };
}

export function isOutOfFrame(clone: Clone): boolean {
  const frames = framesOf(clone);
  return frames.v !== frames.j;
}

/** The first nucleotide of the codon holding `position`, or null in the frameshift's gap. */
export function codonStart(frames: Frames, position: number): number | null {
  if (frames.v === frames.j) return position - ((((position - frames.v) % 3) + 3) % 3);
  const vStart = position - ((((position - frames.v) % 3) + 3) % 3);
  if (vStart + 3 <= frames.cut) return vStart;
  const jStart = position - ((((position - frames.j) % 3) + 3) % 3);
  return jStart >= frames.cut ? jStart : null;
}

/** The amino acid of the codon holding `position` ("" at the ends or in the gap). */
export function aminoAcidAt(sequence: string, frames: Frames, position: number): string {
  const start = codonStart(frames, position);
  if (start === null || start < 0 || start + 3 > sequence.length) return "";
  return translate(sequence.slice(start, start + 3), 0);
}

/**
 * One character per nucleotide: the amino acid at the middle of each codon, "#" on the
 * nucleotides of a frameshift, " " elsewhere.
 */
export function aminoAcidTrack(clone: Clone): string[] {
  const sequence = clone.sequence;
  const frames = framesOf(clone);
  const track = new Array<string>(sequence.length).fill(" ");
  for (let position = 0; position < sequence.length; position++) {
    const start = codonStart(frames, position);
    if (start === null) track[position] = "#";
    else if (position === start + 1 && start >= 0 && start + 3 <= sequence.length) {
      track[position] = translate(sequence.slice(start, start + 3), 0);
    }
  }
  return track;
}

/**
 * Whether a mismatch between the reference (at `referencePosition`) and another clone (at
 * `position`) leaves the amino acid unchanged: Vidjil's double underline.
 */
export function isSilent(
  reference: Clone,
  referencePosition: number,
  clone: Clone,
  position: number,
): boolean {
  const before = aminoAcidAt(reference.sequence, framesOf(reference), referencePosition);
  const after = aminoAcidAt(clone.sequence, framesOf(clone), position);
  return before !== "" && before !== "X" && before === after;
}
