/** Small results written in the tests themselves: clones described by what a test needs. */
import { parseVidjil, type VidjilResult } from "./vidjil";

export interface CloneSpec {
  id: string;
  reads: number[];
  locus?: string;
  v?: string;
  j?: string;
  /** CDR3 nucleotides; the clone's sequence is a V stretch, then this, then a J stretch. */
  cdr3?: string;
  warn?: { code: string; msg: string }[];
}

const V_PART = "GACACGGCCGTGTATTACTGT";
const J_PART = "TGGGGCCAGGGAACCCTGGTCACCGTC";

const CODONS: Record<string, string> = {
  TGT: "C",
  GCG: "A",
  AGA: "R",
  GAT: "D",
  TAT: "Y",
  TGG: "W",
  GGC: "G",
};

function aminoAcids(nucleotides: string): string {
  let protein = "";
  for (let i = 0; i + 3 <= nucleotides.length; i += 3) protein += CODONS[nucleotides.slice(i, i + 3)] ?? "X";
  return protein;
}

/** A `.vidjil` document with these clones; each locus has `lociReads` reads per sample. */
export function resultOf(clones: CloneSpec[], lociReads: Record<string, number[]>): VidjilResult {
  const samples = Object.values(lociReads)[0]?.length ?? 1;
  const segmented = Array.from({ length: samples }, (_, i) =>
    Object.values(lociReads).reduce((sum, reads) => sum + (reads[i] ?? 0), 0),
  );
  const document = {
    vidjil_json_version: "2016b",
    samples: { number: samples, original_names: Array.from({ length: samples }, (_, i) => `s${i}.fastq`) },
    reads: { segmented, total: segmented, germline: lociReads },
    clones: clones.map((spec, index) => {
      const cdr3 = spec.cdr3 ?? "";
      const sequence = V_PART + cdr3 + J_PART;
      const seg: Record<string, unknown> = {};
      if (spec.v) seg["5"] = { name: spec.v, start: 1, stop: V_PART.length };
      if (spec.j) seg["3"] = { name: spec.j, start: V_PART.length + cdr3.length + 1, stop: sequence.length };
      if (cdr3)
        seg.cdr3 = { start: V_PART.length + 1, stop: V_PART.length + cdr3.length, aa: aminoAcids(cdr3) };
      return {
        id: spec.id,
        germline: spec.locus ?? "IGH",
        top: index + 1,
        reads: spec.reads,
        sequence,
        seg,
        warn: spec.warn ?? [],
      };
    }),
  };
  return parseVidjil(JSON.stringify(document));
}
