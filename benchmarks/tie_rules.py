"""What the TRGJ1*02 / TRGJ2*01 tie rule costs on simulated data (issue 12).

TRGJ1*02 is TRGJ2*01 without its first three nucleotides: a read whose J is deleted by 3 nt or
more fits both equally and the designation lists both ("TRGJ1*02,TRGJ2*01"). For one AIRR result
and its simulated truth, prints the top-100 "V+J+junction right on the first listed gene" count
under three rules applied to those exact ties (the other calls as they are):

- TRGJ1 first: ours, what curated real reads ask;
- TRGJ2 first;
- best for the simulator, which draws J genes uniformly (a gene's weight split among its alleles)
  and J 5' deletions uniformly in 0-10: TRGJ2 unless TRGJ1's implied deletion is 8 or more.

    python benchmarks/tie_rules.py TRUTH.clones.tsv[.gz] RESULT.tsv [--tools ../shared/tools]
"""

from __future__ import annotations

import argparse
import csv
import importlib
import sys
from pathlib import Path
from typing import Any

SHARED_TOOLS = Path(__file__).resolve().parents[2] / "shared" / "tools"
TOP = 100
TIE = {"TRGJ1", "TRGJ2"}
SIMULATOR_MAX_DELETION = 10
J2_EXTRA = 3  # nucleotides of TRGJ2*01 before TRGJ1*02's start


def rule_counts(compare: Any, truth_path: str, result_path: str) -> dict[str, int]:
    truth = compare.load_truth(truth_path)
    _, calls = compare.load_airr(result_path)
    with open(result_path, newline="") as handle:
        rows = {row["sequence_id"]: row for row in csv.DictReader(handle, delimiter="\t")}
    calls.sort(key=lambda call: -call["reads"])
    index = compare.TruthIndex(truth, 20000)
    counts = {"TRGJ1 first": 0, "TRGJ2 first": 0, "best for the simulator": 0, "ties": 0}
    for call in calls[:TOP]:
        number, _ = index.match(call)
        if number is None:
            continue
        true = truth[number]
        rest_right = (
            compare.gene(call["v"]) == compare.gene(true["v_call"])
            and call["junction_nt"] == true["junction_nt"]
        )
        true_j = compare.gene(true["j_call"])
        if call["j_all"] != TIE:
            right = rest_right and compare.gene(call["j"]) == true_j
            for rule in ("TRGJ1 first", "TRGJ2 first", "best for the simulator"):
                counts[rule] += right
            continue
        counts["ties"] += 1
        j1_deletion = _j1_deletion(rows[call["id"]])
        simulator_pick = "TRGJ1" if j1_deletion > SIMULATOR_MAX_DELETION - J2_EXTRA else "TRGJ2"
        counts["TRGJ1 first"] += rest_right and true_j == "TRGJ1"
        counts["TRGJ2 first"] += rest_right and true_j == "TRGJ2"
        counts["best for the simulator"] += rest_right and true_j == simulator_pick
    return counts


def _j1_deletion(row: dict[str, str]) -> int:
    """Nucleotides of TRGJ1*02 deleted at its 5' end, whichever of the two genes is named."""
    deleted = int(row["j_germline_start"]) - 1
    return deleted if row["j_call"].startswith("TRGJ1") else deleted - J2_EXTRA


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("truth")
    parser.add_argument("result", help="AIRR .tsv written by vidjil-local analyze")
    parser.add_argument("--tools", type=Path, default=SHARED_TOOLS, help="compare_clones.py's")
    args = parser.parse_args()
    sys.path.insert(0, str(args.tools))
    compare = importlib.import_module("compare_clones")  # found through --tools
    counts = rule_counts(compare, args.truth, args.result)
    print("  ".join(f"{name}: {count}" for name, count in counts.items()))


if __name__ == "__main__":
    main()
