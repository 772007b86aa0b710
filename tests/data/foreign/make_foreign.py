"""Write the foreign-tool result fixtures of this folder from the simulator's truth of
`../golden/mixed.clones.tsv` (seven loci, known genes and junctions):

- `igblast.airr.tsv`: what `igblastn -outfmt 19` writes: IgBLAST's own column order (the AIRR
  rearrangement schema plus its extra columns), one row per read (no `duplicate_count`), booleans
  as T/F, ambiguous calls as comma-separated lists, 1-based positions, a read without any hit
  (empty locus and calls), and IgBLAST's blank fields where a region is absent.
- `mixcr.clones.tsv`: what `mixcr exportClones` (3.x) writes by default: cloneId, cloneCount,
  cloneFraction, targetSequences, allVHitsWithScore ("IGHV4-4*02(1234.5),IGHV4-59*01(1100)"),
  nSeqCDR3/aaSeqCDR3 (MiXCR's CDR3 includes the conserved Cys and Phe/Trp: the AIRR junction),
  refPoints...; `mixcr4.clones.tsv` the same with MiXCR 4's names (readCount, readFraction).

Run from this folder: `python3 make_foreign.py`. No IgBLAST or MiXCR is installed here; the
layouts follow their documentation and the files Vidjil's fuse reads (tools/fuse.py renames
MiXCR's bestVHit/cloneId/targetSequences/cloneCount/chains to AIRR names).
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).parent
TRUTH = HERE.parent / "golden" / "mixed.clones.tsv"
READS_PER_CLONE = (5, 3, 2, 1)  # the four first clones of the truth, as reads of IgBLAST
CODONS = {
    "TTT": "F", "TTC": "F", "TTA": "L", "TTG": "L", "CTT": "L", "CTC": "L", "CTA": "L",
    "CTG": "L", "ATT": "I", "ATC": "I", "ATA": "I", "ATG": "M", "GTT": "V", "GTC": "V",
    "GTA": "V", "GTG": "V", "TCT": "S", "TCC": "S", "TCA": "S", "TCG": "S", "CCT": "P",
    "CCC": "P", "CCA": "P", "CCG": "P", "ACT": "T", "ACC": "T", "ACA": "T", "ACG": "T",
    "GCT": "A", "GCC": "A", "GCA": "A", "GCG": "A", "TAT": "Y", "TAC": "Y", "TAA": "*",
    "TAG": "*", "CAT": "H", "CAC": "H", "CAA": "Q", "CAG": "Q", "AAT": "N", "AAC": "N",
    "AAA": "K", "AAG": "K", "GAT": "D", "GAC": "D", "GAA": "E", "GAG": "E", "TGT": "C",
    "TGC": "C", "TGA": "*", "TGG": "W", "CGT": "R", "CGC": "R", "CGA": "R", "CGG": "R",
    "AGT": "S", "AGC": "S", "AGA": "R", "AGG": "R", "GGT": "G", "GGC": "G", "GGA": "G",
    "GGG": "G",
}  # fmt: skip
IGBLAST_COLUMNS = [
    "sequence_id",
    "sequence",
    "sequence_aa",
    "locus",
    "stop_codon",
    "vj_in_frame",
    "v_frameshift",
    "productive",
    "rev_comp",
    "complete_vdj",
    "d_frame",
    "v_call",
    "d_call",
    "j_call",
    "sequence_alignment",
    "germline_alignment",
    "sequence_alignment_aa",
    "germline_alignment_aa",
    "v_alignment_start",
    "v_alignment_end",
    "d_alignment_start",
    "d_alignment_end",
    "j_alignment_start",
    "j_alignment_end",
    "fwr3",
    "fwr3_aa",
    "fwr4",
    "fwr4_aa",
    "cdr3",
    "cdr3_aa",
    "junction",
    "junction_length",
    "junction_aa",
    "junction_aa_length",
    "v_score",
    "d_score",
    "j_score",
    "v_cigar",
    "d_cigar",
    "j_cigar",
    "v_support",
    "d_support",
    "j_support",
    "v_identity",
    "d_identity",
    "j_identity",
    "v_sequence_start",
    "v_sequence_end",
    "v_germline_start",
    "v_germline_end",
    "j_sequence_start",
    "j_sequence_end",
    "j_germline_start",
    "j_germline_end",
    "cdr3_start",
    "cdr3_end",
    "np1",
    "np1_length",
    "np2",
    "np2_length",
]
MIXCR_COLUMNS = [
    "cloneId",
    "{count}",
    "{fraction}",
    "targetSequences",
    "targetQualities",
    "allVHitsWithScore",
    "allDHitsWithScore",
    "allJHitsWithScore",
    "allCHitsWithScore",
    "allVAlignments",
    "allDAlignments",
    "allJAlignments",
    "allCAlignments",
    "nSeqFR1",
    "minQualFR1",
    "nSeqCDR1",
    "minQualCDR1",
    "nSeqFR2",
    "minQualFR2",
    "nSeqCDR2",
    "minQualCDR2",
    "nSeqFR3",
    "minQualFR3",
    "nSeqCDR3",
    "minQualCDR3",
    "nSeqFR4",
    "minQualFR4",
    "aaSeqFR1",
    "aaSeqCDR1",
    "aaSeqFR2",
    "aaSeqCDR2",
    "aaSeqFR3",
    "aaSeqCDR3",
    "aaSeqFR4",
    "refPoints",
]


def translate(sequence: str) -> str:
    return "".join(CODONS.get(sequence[i : i + 3], "X") for i in range(0, len(sequence) - 2, 3))


def truth() -> list[dict[str, str]]:
    with TRUTH.open(newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))[: len(READS_PER_CLONE)]


def igblast_row(clone: dict[str, str], read: int) -> dict[str, str]:
    sequence, junction = clone["sequence"], clone["junction_nt"]
    start = int(clone["junction_start"])
    v_call = clone["v_call"]
    if clone["locus"] == "IGH":
        v_call += ",IGHV4-59*01"  # IgBLAST lists equally good calls
    return {
        "sequence_id": f"read{clone['clone_id'][-2:]}_{read}",
        "sequence": sequence, "sequence_aa": translate(sequence), "locus": clone["locus"],
        "stop_codon": "F", "vj_in_frame": "T", "v_frameshift": "F", "productive": "T",
        "rev_comp": "F", "complete_vdj": "F", "d_frame": "",
        "v_call": v_call, "d_call": clone["d_call"], "j_call": clone["j_call"],
        "sequence_alignment": sequence, "germline_alignment": sequence,
        "sequence_alignment_aa": translate(sequence), "germline_alignment_aa": "",
        "v_alignment_start": "1", "v_alignment_end": str(start + 10),
        "d_alignment_start": "", "d_alignment_end": "",
        "j_alignment_start": str(start + len(junction) - 20),
        "j_alignment_end": str(len(sequence)),
        "fwr3": "", "fwr3_aa": "", "fwr4": "", "fwr4_aa": "",
        "cdr3": clone["cdr3_nt"], "cdr3_aa": clone["cdr3_aa"], "junction": junction,
        "junction_length": str(len(junction)), "junction_aa": clone["junction_aa"],
        "junction_aa_length": str(len(clone["junction_aa"])),
        "v_score": "431.2", "d_score": "", "j_score": "75.8",
        "v_cigar": f"{start + 10}M", "d_cigar": "", "j_cigar": "40M",
        "v_support": "1.2e-120", "d_support": "", "j_support": "3.4e-18",
        "v_identity": "100.000", "d_identity": "", "j_identity": "100.000",
        "v_sequence_start": "1", "v_sequence_end": str(start + 10),
        "v_germline_start": "1", "v_germline_end": str(start + 10),
        "j_sequence_start": str(start + len(junction) - 20),
        "j_sequence_end": str(len(sequence)), "j_germline_start": "1", "j_germline_end": "40",
        "cdr3_start": str(start + 4), "cdr3_end": str(start + len(junction) - 3),
        "np1": "", "np1_length": "", "np2": "", "np2_length": "",
    }  # fmt: skip


def no_hit_row(sequence: str) -> dict[str, str]:
    row = dict.fromkeys(IGBLAST_COLUMNS, "")
    row.update({"sequence_id": "read_nohit", "sequence": sequence, "rev_comp": "F",
                "sequence_aa": translate(sequence)})  # fmt: skip
    return row


def mixcr_row(clone: dict[str, str], number: int, total: int) -> dict[str, str]:
    sequence, junction = clone["sequence"], clone["junction_nt"]
    start = int(clone["junction_start"])
    second = {"IGH": ",IGHV4-59*01(1100)", "TRA": ",TRAV12-2*01(980)"}.get(clone["locus"], "")
    reads = int(clone["reads"])
    row = dict.fromkeys(MIXCR_COLUMNS, "")
    row.update({
        "cloneId": str(number), "{count}": str(reads), "{fraction}": f"{reads / total:.6f}",
        "targetSequences": sequence[start - 30 : start + len(junction) + 30],
        "targetQualities": "I" * (len(junction) + 60),
        "allVHitsWithScore": f"{clone['v_call']}(1234.5){second}",
        "allDHitsWithScore": f"{clone['d_call']}(40)" if clone["d_call"] else "",
        "allJHitsWithScore": f"{clone['j_call']}(210)",
        "nSeqCDR3": junction, "minQualCDR3": "40", "aaSeqCDR3": clone["junction_aa"],
        "refPoints": f":::::::::30:{-3}:::::{30 + len(junction)}:::::",
    })  # fmt: skip
    return row


def write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, columns, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    clones = truth()
    igblast = [igblast_row(clone, read) for clone, count in zip(clones, READS_PER_CLONE,
               strict=True) for read in range(1, count + 1)]  # fmt: skip
    igblast.insert(3, no_hit_row("ACGT" * 30))
    write(HERE / "igblast.airr.tsv", IGBLAST_COLUMNS, igblast)
    total = sum(int(clone["reads"]) for clone in clones)
    mixcr = [mixcr_row(clone, n, total) for n, clone in enumerate(clones)]
    mixcr += mixcr_oddities(clones, total)
    for name, count, fraction in (("mixcr", "cloneCount", "cloneFraction"),
                                  ("mixcr4", "readCount", "readFraction")):  # fmt: skip
        columns = [c.format(count=count, fraction=fraction) for c in MIXCR_COLUMNS]
        rows = [{c.format(count=count, fraction=fraction): v for c, v in row.items()}
                for row in mixcr]  # fmt: skip
        write(HERE / f"{name}.clones.tsv", columns, rows)


def mixcr_oddities(clones: list[dict[str, str]], total: int) -> list[dict[str, str]]:
    """The first clone again, split off by its constant gene (MiXCR keeps such clones apart);
    an out-of-frame clone ('_' in its CDR3) with a D call, read as a pair of mates."""
    split = mixcr_row(clones[0], len(clones), total)
    split.update({"{count}": "3", "allCHitsWithScore": "IGHG1*01(300)"})
    cut = int(clones[3]["junction_start"]) + 20  # one nt lost in the junction: out of frame
    source = clones[3]
    odd = dict(source, sequence=source["sequence"][:cut] + source["sequence"][cut + 1 :],
               junction_nt=source["junction_nt"][:20] + source["junction_nt"][21:],
               junction_aa="CVEDRG_STLGRLY", d_call="TRBD1*01", reads="2")  # fmt: skip
    frameshift = mixcr_row(odd, len(clones) + 1, total)
    mates = frameshift["targetSequences"]
    frameshift["targetSequences"] = f"{mates[:25]},{mates}"
    return [split, frameshift]


if __name__ == "__main__":
    main()
