"""Writes the small Vidjil-style germline archive of the tests (run from the repository root:
`python3 tests/data/germline/vidjil-archive/make_archive.py`).

The layout and `homo-sapiens.g` follow Vidjil's `make germline` output (`path` names a
subdirectory, "+up"/"+down" files, the incomplete systems IGH+, IGK+, TRB+, TRD+, TRA+D as
Vidjil declares them), with a few genes of each file copied from the bundled human set. The
up/downstream flanks and the IGK intron and KDE elements are NOT the genomic sequences (they are
not bundled): seeded random stand-ins of the same kind and length, enough to test that every
recombination of a preset is detected and designated.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

BUNDLED = Path("src/vidjil_local/germline/data/homo-sapiens")
HERE = Path(__file__).resolve().parent
FLANK = 40  # Vidjil's LENGTH_UPSTREAM / LENGTH_DOWNSTREAM
GENES = {
    "IGHV.fa": ("IGHV.fa", ["IGHV3-23*01", "IGHV1-18*01"]),
    "IGHD.fa": ("IGHD.fa", ["IGHD3-10*01", "IGHD2-2*01", "IGHD6-19*01"]),
    "IGHJ.fa": ("IGHJ.fa", ["IGHJ4*02", "IGHJ6*02"]),
    "IGKV.fa": ("IGKV.fa", ["IGKV1-5*01", "IGKV3-20*01"]),
    "IGKJ.fa": ("IGKJ.fa", ["IGKJ1*01", "IGKJ4*01"]),
    "TRAV.fa": ("TRAV.fa", ["TRAV12-2*01", "TRAV29/DV5*01"]),
    "TRAJ.fa": ("TRAJ.fa", ["TRAJ29*01", "TRAJ30*01"]),
    "TRBV.fa": ("TRBV.fa", ["TRBV20-1*01", "TRBV7-9*01"]),
    "TRBD.fa": ("TRBD.fa", ["TRBD1*01", "TRBD2*01"]),
    "TRBJ.fa": ("TRBJ.fa", ["TRBJ1-1*01", "TRBJ2-7*01"]),
    "TRDV.fa": ("TRDV.fa", ["TRDV1*01", "TRDV2*01", "TRAV29/DV5*01"]),
    "TRDD.fa": ("TRDD.fa", ["TRDD1*01", "TRDD2*01", "TRDD3*01"]),
    "TRDJ.fa": ("TRDJ.fa", ["TRDJ1*01", "TRDJ3*01"]),
}


def records(file_name: str, names: list[str]) -> dict[str, str]:
    """Allele -> gapped sequence, from a bundled FASTA file."""
    found: dict[str, str] = {}
    name = ""
    for line in (BUNDLED / file_name).read_text().splitlines():
        if line.startswith(">"):
            name = line.split("|")[1].strip()
        elif name in names:
            found[name] = found.get(name, "") + line.strip()
    return {allele: found[allele] for allele in names}


def fasta(entries: dict[str, str], feature: str) -> str:
    return "".join(
        f">archive|{name}|Homo sapiens|F|{feature}|\n{sequence}\n"
        for name, sequence in entries.items()
    )


def main() -> None:
    rng = random.Random(12)
    flanks: dict[str, str] = {}

    def flank(key: str) -> str:
        """The same stand-in flank wherever a gene appears (TRDD2 in TRDD+up and TRDD2+up)."""
        if key not in flanks:
            flanks[key] = "".join(rng.choice("acgt") for _ in range(FLANK))
        return flanks[key]

    out = HERE / "homo-sapiens"
    out.mkdir(exist_ok=True)
    genes = {target: records(source, names) for target, (source, names) in GENES.items()}
    for target in (
        "IGHV.fa",
        "IGHD.fa",
        "IGKV.fa",
        "TRAV.fa",
        "TRBV.fa",
        "TRBD.fa",
        "TRDV.fa",
        "TRDD.fa",
    ):
        feature = "D-REGION" if target[3] == "D" else "V-REGION"
        (out / target).write_text(fasta(genes[target], feature))
    for locus in ("IGH", "IGK", "TRA", "TRB", "TRD"):  # J genes with 40 nt downstream
        down = {name: seq + flank(name + "+down") for name, seq in genes[f"{locus}J.fa"].items()}
        (out / f"{locus}J+down.fa").write_text(fasta(down, "J-REGION+down"))
    for locus in ("IGH", "TRB", "TRD"):  # D genes with 40 nt upstream
        up = {name: flank(name + "+up") + seq for name, seq in genes[f"{locus}D.fa"].items()}
        (out / f"{locus}D+up.fa").write_text(fasta(up, "D-REGION+up"))
    trdd = genes["TRDD.fa"]
    (out / "TRDD2+up.fa").write_text(
        fasta({"TRDD2*01": flank("TRDD2*01+up") + trdd["TRDD2*01"]}, "D-REGION+up")
    )
    (out / "TRDD3+down.fa").write_text(
        fasta({"TRDD3*01": trdd["TRDD3*01"] + flank("TRDD3*01+down")}, "D-REGION+down")
    )
    intron = "".join(rng.choice("ACGT") for _ in range(90))
    kde = "".join(rng.choice("ACGT") for _ in range(90))
    (out / "IGK-INTRON.fa").write_text(fasta({"IGK-INTRON*01": intron}, "INTRON"))
    (out / "IGK-KDE.fa").write_text(fasta({"IGK-KDE*01": kde}, "KDE"))
    (HERE / "homo-sapiens.g").write_text(json.dumps(PRESET, indent=4) + "\n")


def system(
    shortcut: str, recombinations: list[dict[str, list[str]]], seed: str
) -> dict[str, object]:
    return {"shortcut": shortcut, "recombinations": recombinations, "parameters": {"seed": seed}}


PRESET = {
    "ref": "test archive: Vidjil's make germline layout, a few genes, synthetic flanks",
    "species": "Homo sapiens",
    "species_taxon_id": 9606,
    "path": "homo-sapiens",
    "systems": {
        "TRA": system("A", [{"5": ["TRAV.fa"], "3": ["TRAJ+down.fa"]}], "13s"),
        "TRB": system("B", [{"5": ["TRBV.fa"], "4": ["TRBD.fa"], "3": ["TRBJ+down.fa"]}], "12s"),
        "TRB+": system("b", [{"5": ["TRBD+up.fa"], "3": ["TRBJ+down.fa"]}], "12s"),
        "TRD": system("D", [{"5": ["TRDV.fa"], "4": ["TRDD.fa"], "3": ["TRDJ+down.fa"]}], "10s"),
        "TRA+D": system(
            "a",
            [
                {"5": ["TRDV.fa"], "4": ["TRDD.fa"], "3": ["TRAJ+down.fa"]},
                {"5": ["TRDD+up.fa"], "3": ["TRAJ+down.fa"]},
            ],
            "13s",
        ),
        "TRD+": system(
            "d",
            [
                {"5": ["TRDV.fa"], "3": ["TRDD3+down.fa"]},
                {"5": ["TRDD2+up.fa"], "4": ["TRDD.fa"], "3": ["TRDJ+down.fa"]},
                {"5": ["TRDD2+up.fa"], "3": ["TRDD3+down.fa"]},
            ],
            "9c",
        ),
        "IGH": system("H", [{"5": ["IGHV.fa"], "4": ["IGHD.fa"], "3": ["IGHJ+down.fa"]}], "12s"),
        "IGH+": system("h", [{"5": ["IGHD+up.fa"], "3": ["IGHJ+down.fa"]}], "12s"),
        "IGK": system("K", [{"5": ["IGKV.fa"], "3": ["IGKJ+down.fa"]}], "10s"),
        "IGK+": system("k", [{"5": ["IGKV.fa", "IGK-INTRON.fa"], "3": ["IGK-KDE.fa"]}], "10s"),
    },
}

if __name__ == "__main__":
    main()
