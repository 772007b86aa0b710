"""Results for the viewer's browser tests, made from the bundled germline genes: each clone is a
V gene cut before its 3' end, an N region and a J gene cut after its 5' start, with its
designation, junction and productivity stated as an analysis would (1-based positions).

`lab_samples()` is a diagnosis and a follow-up of one patient, as two one-sample `.vidjil` files
to import: a dominant IGH clone with a silent variant (same CDR3 amino acids), a mutant (one
amino acid changed), an out-of-frame clone, TRG clones and a tail of small clones.
`large_result()` is a fused result of many samples and clones, for the speed of the page."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from functools import cache

from vidjil_local.core import Gene
from vidjil_local.germline import load_germline

BASES = "TCAG"
AMINO_ACIDS = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"
CODONS = {
    a + b + c: AMINO_ACIDS[16 * i + 4 * j + k]
    for i, a in enumerate(BASES)
    for j, b in enumerate(BASES)
    for k, c in enumerate(BASES)
}
# How much of the V gene before its Cys codon a clone's sequence keeps.
V_BEFORE_ANCHOR = 60


def translate(nucleotides: str) -> str:
    return "".join(
        CODONS.get(nucleotides[i : i + 3], "X") for i in range(0, len(nucleotides) - 2, 3)
    )


@cache
def genes() -> dict[str, Gene]:
    loaded = load_germline("human").germline_set
    return {
        gene.name: gene
        for locus in loaded.loci
        for gene in (*locus.v_genes, *locus.d_genes, *locus.j_genes)
    }


@dataclass
class Design:
    id: str
    locus: str
    v: str
    j: str
    n: str
    reads: list[int]
    delete_v: int = 2
    delete_j: int = 4
    warnings: list[dict[str, str]] = field(default_factory=list)


def clone_document(design: Design) -> dict[str, object]:
    v, j = genes()[design.v], genes()[design.j]
    v_part = v.sequence[v.anchor - V_BEFORE_ANCHOR : len(v.sequence) - design.delete_v]
    j_part = j.sequence[design.delete_j :]
    sequence = v_part + design.n + j_part
    j_start = len(v_part) + len(design.n)
    junction_end = j_start + j.anchor - design.delete_j + 3
    junction = sequence[V_BEFORE_ANCHOR:junction_end]
    aa = translate(junction)
    productive = len(junction) % 3 == 0 and "*" not in aa
    junction_seg: dict[str, object] = {
        "start": V_BEFORE_ANCHOR + 1,
        "stop": junction_end,
        "aa": aa,
        "productive": productive,
    }
    if not productive:
        junction_seg["unproductive"] = "out-of-frame" if len(junction) % 3 else "stop-codon"
    seg = {
        "5": {"name": design.v, "start": 1, "stop": len(v_part), "delRight": design.delete_v},
        "3": {
            "name": design.j,
            "start": j_start + 1,
            "stop": len(sequence),
            "delLeft": design.delete_j,
        },
        "junction": junction_seg,
    }
    return {
        "id": design.id,
        "germline": design.locus,
        "reads": design.reads,
        "sequence": sequence,
        "_average_read_length": [float(len(sequence) + 6)] * len(design.reads),
        "seg": seg,
        "warn": design.warnings,
    }


def junction_length(design: Design, n: str) -> int:
    v, j = genes()[design.v], genes()[design.j]
    v_after_anchor = len(v.sequence) - design.delete_v - v.anchor
    return v_after_anchor + len(n) + j.anchor - design.delete_j + 3


def in_frame_n(design: Design) -> str:
    """An N region lengthened by G until the junction is a whole number of codons."""
    n = design.n
    while junction_length(design, n) % 3:
        n += "G"
    return n


def with_n(design: Design, n: str) -> Design:
    return Design(**{**design.__dict__, "n": n})


def junction_aa(design: Design) -> str:
    seg = clone_document(design)["seg"]
    assert isinstance(seg, dict)
    return str(seg["junction"]["aa"])


def document(
    names: list[str], dates: list[str], designs: list[Design], loci: dict[str, list[int]]
) -> dict[str, object]:
    segmented = [sum(reads[i] for reads in loci.values()) for i in range(len(names))]
    return {
        "vidjil_json_version": "2016b",
        "producer": "vidjil-local browser tests",
        "timestamp": "2026-03-03 10:00:00",
        "samples": {
            "number": len(names),
            "original_names": names,
            "timestamp": dates,
            "producer": ["vidjil-local browser tests"] * len(names),
            "commandline": [""] * len(names),
            "log": [""] * len(names),
        },
        "reads": {"total": [s + 1000 for s in segmented], "segmented": segmented, "germline": loci},
        "clones": [
            {**clone_document(design), "top": rank + 1} for rank, design in enumerate(designs)
        ],
    }


DOMINANT_N = "CCCGGATATAGCAGCAGCTGG"
W69 = {
    "code": "W69",
    "level": "warn",
    "msg": "Several genes with equal probability: IGHV3-23*01, IGHV3-7*01",
}


def lab_designs() -> list[Design]:
    """The clones of the diagnosis and follow-up, reads per sample."""
    dominant = Design(
        "igh-dominant", "IGH", "IGHV3-23*01", "IGHJ4*02", DOMINANT_N, [12000, 30], warnings=[W69]
    )
    dominant.n = in_frame_n(dominant)
    # Same amino acids (the last codon's third base changed), then one amino acid changed.
    silent = Design("igh-silent", "IGH", dominant.v, dominant.j, synonymous(dominant), [400, 2])
    mutant = Design("igh-mutant", "IGH", dominant.v, dominant.j, missense(dominant), [150, 0])
    designs = [
        dominant,
        silent,
        mutant,
        Design("igh-2", "IGH", "IGHV1-69*01", "IGHJ6*02", "GATCGTTACTAC", [900, 2500]),
        Design("igh-3", "IGH", "IGHV4-34*01", "IGHJ3*02", "GCGGGTTATAGC", [700, 10]),
        Design("igh-oof", "IGH", "IGHV3-7*01", "IGHJ4*02", "GGTTACCAT", [500, 0]),
        Design("trg-1", "TRG", "TRGV9*01", "TRGJP*01", "GCCTGGG", [2600, 3100]),
        Design("trg-2", "TRG", "TRGV8*01", "TRGJ1*02", "TACGGCA", [700, 950]),
    ]
    for design in designs[3:]:
        if design.id != "igh-oof":
            design.n = in_frame_n(design)
    randomness = random.Random(14)
    v_genes = ["IGHV1-2*02", "IGHV5-51*01", "IGHV1-69*01", "IGHV4-34*01"]
    j_genes = ["IGHJ5*02", "IGHJ6*02", "IGHJ3*02"]
    for index in range(60):
        n = "".join(randomness.choice("ACGT") for _ in range(randomness.randint(6, 14)))
        small = Design(
            f"igh-small-{index}",
            "IGH",
            randomness.choice(v_genes),
            randomness.choice(j_genes),
            n,
            [max(5, 90 - index), randomness.randint(0, 30)],
        )
        small.n = in_frame_n(small)
        designs.append(small)
    return designs


def synonymous(design: Design) -> str:
    """The N region with one base changed without changing the junction's amino acids."""
    reference = junction_aa(design)
    for position in range(len(design.n) - 1, -1, -1):
        for base in "ACGT":
            n = design.n[:position] + base + design.n[position + 1 :]
            if n != design.n and junction_aa(with_n(design, n)) == reference:
                return n
    raise AssertionError("no silent change in this N region")


def missense(design: Design) -> str:
    """The N region with one base changed so that one amino acid changes (not to a stop)."""
    reference = junction_aa(design)
    for position in range(len(design.n)):
        for base in "ACGT":
            changed = junction_aa(
                with_n(design, design.n[:position] + base + design.n[position + 1 :])
            )
            differences = sum(a != b for a, b in zip(changed, reference, strict=True))
            if differences == 1 and "*" not in changed:
                return design.n[:position] + base + design.n[position + 1 :]
    raise AssertionError("no missense change in this N region")


LAB_LOCI = {"IGH": [40000, 60000], "TRG": [10000, 20000]}
LAB_SAMPLES = (
    ("diagnosis.vidjil", "2026-01-12 09:00:00"),
    ("follow-up.vidjil", "2026-02-16 09:00:00"),
)


def lab_samples() -> list[tuple[str, bytes]]:
    """One `.vidjil` file per sample, as another lab's pipeline would give them to import."""
    designs = lab_designs()
    files = []
    for index, (name, date) in enumerate(LAB_SAMPLES):
        one = [
            Design(**{**d.__dict__, "reads": [d.reads[index]]})
            for d in designs
            if d.reads[index] > 0
        ]
        loci = {locus: [reads[index]] for locus, reads in LAB_LOCI.items()}
        files.append((name, json.dumps(document([name], [date], one, loci)).encode()))
    return files


def large_result(samples: int, clones: int, seed: int = 7) -> bytes:
    """A fused result of `samples` x `clones`: random genes and N regions, a long tail of sizes."""
    randomness = random.Random(seed)
    v_genes = [
        name
        for name in genes()
        if name.startswith("IGHV") and genes()[name].anchor > V_BEFORE_ANCHOR
    ]
    j_genes = [name for name in genes() if name.startswith("IGHJ") and genes()[name].anchor >= 4]
    designs = []
    for index in range(clones):
        n = "".join(randomness.choice("ACGT") for _ in range(randomness.randint(3, 18)))
        size = int(200000 / (index + 1) ** 1.05)
        reads = [max(0, size - randomness.randint(0, size // 2 + 2)) for _ in range(samples)]
        designs.append(
            Design(
                f"clone-{index}",
                "IGH",
                randomness.choice(v_genes),
                randomness.choice(j_genes),
                n,
                reads,
            )
        )
    total = [sum(design.reads[i] for design in designs) + 50000 for i in range(samples)]
    names = [f"sample-{i + 1}.fastq.gz" for i in range(samples)]
    dates = [f"2026-{1 + i // 28:02d}-{1 + i % 28:02d} 09:00:00" for i in range(samples)]
    return json.dumps(document(names, dates, designs, {"IGH": total})).encode()


def lab_result() -> bytes:
    """The diagnosis and follow-up already fused, as one `.vidjil` file (for the file viewer)."""
    names = [name for name, _ in LAB_SAMPLES]
    dates = [date for _, date in LAB_SAMPLES]
    return json.dumps(document(names, dates, lab_designs(), LAB_LOCI)).encode()
