"""Write the usage and deletion priors of the bundled human germline set (`priors.tsv`).

Developer tool, not part of the app: it reads the IGoR-inferred human recombination models that
the `olga` package ships (`olga/default_models/human_*`, the models the bundled IGH, IGK, IGL,
TRA and TRB germlines were built from) and writes, per V and J allele, its usage probability and
the distribution of its deleted nucleotides (V 3' end, J 5' end). The designation uses them to
choose between genes that a clone sequence matches equally or nearly equally well.

TRG and TRD have no such model: their alleles get the average deletion profile of the TRA and
TRB models (weighted by usage), so that their ties too go to the likeliest deletion length, and
uniform gene usage (split evenly between the alleles of a gene), except the TRG J genes, whose
usage follows the published TRG repertoires (`TRG_J_USAGE`, sources there): on real reads a J
part that fits TRGJ1 and TRGJ2 equally is TRGJ1.

    python3 -m venv /tmp/olga-venv && /tmp/olga-venv/bin/pip install olga==1.3.0
    /tmp/olga-venv/bin/python scripts/germline_priors.py \
        /tmp/olga-venv/lib/python3.11/site-packages/olga/default_models \
        src/vidjil_local/germline/data/homo-sapiens/priors.tsv
"""

from __future__ import annotations

import sys
from pathlib import Path

MODELS = {
    "IGH": "human_B_heavy",
    "IGK": "human_B_kappa",
    "IGL": "human_B_lambda",
    "TRA": "human_T_alpha",
    "TRB": "human_T_beta",
}
DELETION_EVENTS = {"V": ("v_choice", "v_3_del"), "J": ("j_choice", "j_5_del")}
WITHOUT_MODEL = {"TRG": "TRA,TRB", "TRD": "TRA,TRB"}  # locus -> loci whose deletions it borrows
# TRG J gene usage in human blood T cells (alpha-beta T cells carry TRG rearrangements too).
# Sources: Kohsaka et al., J Clin Invest 1993;91:171-8 (232 TRG transcripts of 8 donors:
# V-J pairing strongly biased, Vg9-JP dominant among functional gamma-delta chains, out-of-frame
# ones, which reflect rearrangement, mostly to J1/J2); Sherwood et al., Sci Transl Med
# 2011;3:90ra61 (TRG rearranged in nearly all blood T cells); the locus map (IMGT): TRGJP1,
# TRGJP and TRGJ1 form the upstream J-gamma-1 cluster, which a V rearranges to before TRGJP2 and
# TRGJ2 of the J-gamma-2 cluster (a rearrangement to the latter deletes the former), so J1 is
# used well more than J2 though the two genes are nearly identical. These shares are rounded
# estimates from those reports, not a fitted model; they only break ties (docs/analysis.md).
TRG_J_USAGE = {"TRGJ1": 0.35, "TRGJP": 0.30, "TRGJP1": 0.15, "TRGJ2": 0.10, "TRGJP2": 0.10}
PUBLISHED_USAGE = {("TRG", "J"): TRG_J_USAGE}


def read_params(path: Path) -> dict[str, list[str]]:
    """Realisations of each event, by index: allele names for genes, lengths for deletions."""
    events: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in path.read_text().splitlines():
        if line.startswith("@") and line != "@Event_list":
            current = None
        elif line.startswith("#") and ";" in line:
            current = events.setdefault(line.split(";")[-1], [])
        elif line.startswith("%") and current is not None:
            name, *_, index = line[1:].split(";")
            while len(current) <= int(index):
                current.append("")
            current[int(index)] = name
    return events


def read_marginals(path: Path) -> dict[str, dict[int, list[float]]]:
    """Each event's probabilities, per index of the event it is conditioned on (-1: none)."""
    marginals: dict[str, dict[int, list[float]]] = {}
    event, condition = "", -1
    for line in path.read_text().splitlines():
        if line.startswith("@"):
            event, condition = line[1:], -1
        elif line.startswith("#["):
            condition = int(line.strip("#[]").split("]")[0].split(",")[-1])
        elif line.startswith("%"):
            marginals.setdefault(event, {})[condition] = [float(x) for x in line[1:].split(",")]
    return marginals


def gene_usage(marginals: dict[str, dict[int, list[float]]], event: str) -> list[float]:
    rows = marginals[event]
    if -1 in rows:
        return rows[-1]
    # conditioned on the V choice (j_choice of VJ and of some VDJ models): sum over V
    v_usage = marginals["v_choice"][-1]
    size = len(next(iter(rows.values())))
    return [sum(v_usage[v] * rows[v][j] for v in rows) for j in range(size)]


def deletions(lengths: list[str], probabilities: list[float]) -> list[float]:
    """P(0..max deleted nt); negative lengths (palindromic nt) count as no deletion."""
    top = max(int(length) for length in lengths)
    folded = [0.0] * (top + 1)
    for length, probability in zip(lengths, probabilities, strict=True):
        folded[max(0, int(length))] += probability
    return folded


Prior = tuple[str, str, str, float, list[float]]  # locus, segment, allele, usage, deletions


def model_priors(locus: str, model: Path) -> list[Prior]:
    params = read_params(model / "model_params.txt")
    marginals = read_marginals(model / "model_marginals.txt")
    priors: list[Prior] = []
    for segment, (choice, deletion) in DELETION_EVENTS.items():
        usage = gene_usage(marginals, choice)
        for index, allele in enumerate(params[choice]):
            spread = deletions(params[deletion], marginals[deletion][index])
            priors.append((locus, segment, allele, usage[index], spread))
    return priors


def average_deletions(priors: list[Prior], loci: list[str], segment: str) -> list[float]:
    chosen = [p for p in priors if p[0] in loci and p[1] == segment]
    total = [0.0] * max(len(p[4]) for p in chosen)
    for _, _, _, usage, spread in chosen:
        for length, probability in enumerate(spread):
            total[length] += usage * probability
    weight = sum(p[3] for p in chosen)
    return [value / weight for value in total]


def fasta_alleles(path: Path) -> list[str]:
    return [line.split("|")[1] for line in path.read_text().splitlines() if line.startswith(">")]


def uniform_priors(locus: str, germlines: Path, borrowed: list[float], segment: str) -> list[Prior]:
    """Each gene equally used, or as published (`PUBLISHED_USAGE`), its alleles sharing its
    usage, with the borrowed deletion profile."""
    alleles = fasta_alleles(germlines / f"{locus}{segment}.fa")
    genes = [allele.split("*")[0] for allele in alleles]
    published = PUBLISHED_USAGE.get((locus, segment), {})
    unlisted = [gene for gene in set(genes) if gene not in published]
    rest = (1.0 - sum(published.values())) / len(unlisted) if unlisted else 0.0
    return [
        (locus, segment, allele, published.get(gene, rest) / genes.count(gene), borrowed)
        for allele, gene in zip(alleles, genes, strict=True)
    ]


def main() -> None:
    models, out = Path(sys.argv[1]), Path(sys.argv[2])
    priors = [p for locus, name in MODELS.items() for p in model_priors(locus, models / name)]
    for locus, borrowed_from in WITHOUT_MODEL.items():
        for segment in ("V", "J"):
            borrowed = average_deletions(priors, borrowed_from.split(","), segment)
            priors += uniform_priors(locus, out.parent, borrowed, segment)
    lines = [
        "# Usage and deletion priors of the bundled human germline set, per V and J allele.",
        "# From the IGoR-inferred human models shipped in olga 1.3.0 (olga/default_models/"
        "human_B_heavy, human_B_kappa, human_B_lambda, human_T_alpha, human_T_beta; GPLv3),",
        "# written by scripts/germline_priors.py. usage: P(allele) in the model's repertoire;",
        "# deletions: P(0, 1, 2, ... nt deleted) at the V 3' end or the J 5' end (palindromic",
        "# nucleotides counted as no deletion). No model exists for TRG and TRD: the TRA+TRB",
        "# average deletion profile, uniform gene usage (alleles share their gene's) except the",
        "# TRG J genes, which follow published TRG repertoires (sources in the script).",
        "locus\tsegment\tallele\tusage\tdeletions",
    ]
    for locus, segment, allele, usage, spread in priors:
        shown = ",".join(f"{p:.4g}" for p in spread)
        lines.append(f"{locus}\t{segment}\t{allele}\t{usage:.6g}\t{shown}")
    out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
