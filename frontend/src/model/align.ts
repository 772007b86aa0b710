/**
 * Pairwise alignment of a clone's sequence onto a reference (Needleman-Wunsch with free end
 * gaps), reported in reference coordinates: for each reference position, the other sequence's
 * base there (or null for a deletion), and which reference positions are followed by an insertion.
 */

export interface Projection {
  /** Index into the other sequence for each reference position, or null where it has no base. */
  positions: (number | null)[];
  /** Reference positions after which the other sequence has extra bases. */
  insertionsAfter: Set<number>;
}

const MATCH = 2;
const MISMATCH = -3;
const GAP = -4;

/** The last alignments made: the sequence panel redraws (a colour, a sample) without realigning. */
const aligned = new Map<string, Projection>();
const ALIGNMENTS_KEPT = 64;

/** `align`, kept for the pairs of sequences aligned last. Do not change what it returns. */
export function project(reference: string, other: string): Projection {
  const key = `${reference} ${other}`;
  let projection = aligned.get(key);
  if (projection === undefined) {
    projection = align(reference, other);
    if (aligned.size >= ALIGNMENTS_KEPT) aligned.delete(aligned.keys().next().value as string);
    aligned.set(key, projection);
  }
  return projection;
}

function align(reference: string, other: string): Projection {
  const rows = reference.length + 1;
  const columns = other.length + 1;
  const score = new Int32Array(rows * columns);
  // Free end gaps: leading gaps in either sequence cost nothing.
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const diagonal =
        score[(i - 1) * columns + j - 1]! + (reference[i - 1] === other[j - 1] ? MATCH : MISMATCH);
      const up = score[(i - 1) * columns + j]! + (j === columns - 1 ? 0 : GAP);
      const left = score[i * columns + j - 1]! + (i === rows - 1 ? 0 : GAP);
      score[i * columns + j] = Math.max(diagonal, up, left);
    }
  }
  const positions: (number | null)[] = new Array<number | null>(reference.length).fill(null);
  const insertionsAfter = new Set<number>();
  let i = rows - 1;
  let j = columns - 1;
  while (i > 0 && j > 0) {
    const here = score[i * columns + j]!;
    const diagonal =
      score[(i - 1) * columns + j - 1]! + (reference[i - 1] === other[j - 1] ? MATCH : MISMATCH);
    const up = score[(i - 1) * columns + j]! + (j === columns - 1 ? 0 : GAP);
    if (here === diagonal) {
      positions[i - 1] = j - 1;
      i--;
      j--;
    } else if (here === up) {
      i--;
    } else {
      if (i < rows - 1) insertionsAfter.add(i - 1);
      j--;
    }
  }
  return { positions, insertionsAfter };
}

const CODONS: Record<string, string> = {};
const BASES = "TCAG";
const AMINO_ACIDS = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG";
for (let index = 0; index < 64; index++) {
  const codon = BASES[index >> 4]! + BASES[(index >> 2) & 3]! + BASES[index & 3]!;
  CODONS[codon] = AMINO_ACIDS[index]!;
}

/** Translates complete codons from `frame`; unknown codons become "X". */
export function translate(sequence: string, frame: number): string {
  let protein = "";
  for (let start = frame; start + 3 <= sequence.length; start += 3) {
    protein += CODONS[sequence.slice(start, start + 3)] ?? "X";
  }
  return protein;
}
