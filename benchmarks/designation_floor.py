"""How many simulated clones no designation can name right: genes the sequence cannot tell apart.

Not a test. For every clone of a simulator `--clones` TSV (`simulate_repertoire.py`), the full
simulated clone sequence is designated and compared with the simulated V and J genes. Clones
whose sequence fits several genes equally (listed as equal, W69) are grouped by what the
sequence shows: the locus, the tied V genes, the tied J genes and the deleted lengths. Within a
group the sequences carry no evidence for one gene over another, so the best any rule can do is
name the group's most frequent simulated gene pair: the `floor` counts the clones left wrong
then. It is measured on the same clones it is computed from, so it is optimistic (small groups
fit chance); a rule would have to know the simulator's model to approach it.

    python3 benchmarks/designation_floor.py /tmp/bench/igh-1000000-s2.clones.tsv
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

from vidjil_local.core.designation import Designer
from vidjil_local.core.result import SegmentMatch
from vidjil_local.germline import load_germline

GroupKey = tuple[str, tuple[str, ...], int, tuple[str, ...], int]


def tied_genes(match: SegmentMatch) -> tuple[str, ...]:
    return tuple(sorted({name.split("*")[0] for name in (match.name, *match.equal_alleles)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("clones", type=Path, help="a simulate_repertoire.py --clones TSV")
    parser.add_argument("-g", "--germline", default="human")
    args = parser.parse_args()
    csv.field_size_limit(sys.maxsize)
    designer = Designer(load_germline(args.germline).germline_set)
    clones: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    groups: dict[GroupKey, Counter[tuple[str, str]]] = defaultdict(Counter)
    with args.clones.open() as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            locus = row["locus"]
            designation = designer.designate(row["sequence"], locus)
            v, j = designation.v, designation.j
            clones[locus] += 1
            truth = (row["v_call"].split("*")[0], row["j_call"].split("*")[0])
            if v is None or j is None:
                wrong[locus] += 1
                continue
            if (v.name.split("*")[0], j.name.split("*")[0]) != truth:
                wrong[locus] += 1
            key = (locus, tied_genes(v), v.deleted_3, tied_genes(j), j.deleted_5)
            groups[key][truth] += 1
    floor: Counter[str] = Counter()
    for key, truths in groups.items():
        floor[key[0]] += sum(truths.values()) - max(truths.values())
    print("locus\tclones\twrong V or J gene %\tfloor %")
    for locus in sorted(clones):
        shares = [100.0 * counts[locus] / clones[locus] for counts in (wrong, floor)]
        print(f"{locus}\t{clones[locus]}\t{shares[0]:.2f}\t{shares[1]:.2f}")
    total = sum(clones.values())
    print(f"all\t{total}\t{100.0 * sum(wrong.values()) / total:.2f}", end="\t")
    print(f"{100.0 * sum(floor.values()) / total:.2f}")


if __name__ == "__main__":
    main()
