"""Golden tests: small FASTQ files -> expected clone lists, serially and in a process pool.

On failure the difference is shown as `diff -u` of expected and actual text. After an intended
change of the analysis, refresh the expected files with
`VIDJIL_REGENERATE_GOLDEN=1 pytest tests/golden` and review the diff before committing.
"""

from __future__ import annotations

import csv
import difflib
import os
from pathlib import Path

import pytest

from vidjil_local.core.result import AnalysisResult
from vidjil_local.germline import load_germline
from vidjil_local.pipeline import AnalysisOptions, MergeOptions, analyze
from vidjil_local.pipeline.units import UnmergedChoice
from vidjil_local.reads import iter_pairs, mate_id

TESTS = Path(__file__).resolve().parent.parent
INPUTS = TESTS / "data" / "golden"
EXPECTED = TESTS / "expected" / "golden"
REGENERATE = os.environ.get("VIDJIL_REGENERATE_GOLDEN") == "1"

# input -> germline spec
GOLDENS = {
    "igh": "human:IGH",
    "trg": "human:TRG",
    "mixed": "human",
    "reverse": "human:IGH",
    "no-junction": "human",
    "n-bases": "human:IGH",
    "short": "human:TRB",
    "long": "human:IGH",
    "empty": "human:IGH",
    "tiny": "human:IGH",
}


def clone_list(result: AnalysisResult) -> str:
    """The analysis as stable text: read statistics, then one line per clone."""
    lines: list[str] = []
    for sample in result.samples:
        lines.append(f"sample\t{sample.original_name}")
        lines.append(f"reads\t{sample.total_reads}")
        lines.append(f"segmented\t{sample.segmented_reads}")
        lines += [f"locus {locus}\t{count}" for locus, count in sample.reads_per_locus.items()]
        lines += [f"unsegmented {reason}\t{count}" for reason, count in sample.unsegmented.items()]
    lines.append("top\tlocus\treads\twindow\tv\tj\tjunction_aa")
    for clone in result.clones:
        designation = clone.designation
        v = designation.v.name if designation is not None and designation.v else ""
        j = designation.j.name if designation is not None and designation.j else ""
        junction = designation.junction_aa if designation is not None else ""
        reads = ",".join(str(count) for count in clone.reads)
        lines.append(f"{clone.top}\t{clone.locus}\t{reads}\t{clone.clone_id}\t{v}\t{j}\t{junction}")
    return "\n".join(lines) + "\n"


def run_golden(name: str, processes: int) -> AnalysisResult:
    germline = load_germline(GOLDENS[name]).germline_set
    options = AnalysisOptions(top=20, min_reads=2, processes=processes, chunk_size=64)
    return analyze([INPUTS / f"{name}.fastq"], germline, options)


@pytest.mark.parametrize("processes", [1, 2], ids=["serial", "parallel"])
@pytest.mark.parametrize("name", sorted(GOLDENS))
def test_golden(name: str, processes: int) -> None:
    actual = clone_list(run_golden(name, processes))
    expected_path = EXPECTED / f"{name}.tsv"
    if REGENERATE and processes == 1:
        expected_path.write_text(actual)
    expected = expected_path.read_text()
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=str(expected_path),
            tofile=f"{name} ({processes} processes)",
        )
        pytest.fail("golden output differs:\n" + "".join(diff), pytrace=False)


def truth_clones(name: str) -> list[dict[str, str]]:
    with (INPUTS / f"{name}.clones.tsv").open() as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.mark.parametrize("name", ["igh", "trg", "mixed", "reverse", "short"])
def test_dominant_clones_are_found_whole(name: str) -> None:
    """Each simulated dominant clone is one clone holding (nearly) all its reads."""
    result = run_golden(name, 1)
    for truth in truth_clones(name):
        matching = [clone for clone in result.clones if truth["junction_nt"] in clone.sequence]
        assert matching, f"{truth['clone_id']} ({truth['locus']}) not found"
        best = max(matching, key=lambda clone: clone.reads[0])
        assert best.locus == truth["locus"]
        assert best.reads[0] >= 0.95 * int(truth["reads"]), (truth["clone_id"], best.reads)
        assert sum(clone.reads[0] for clone in matching) <= int(truth["reads"])


# paired inputs: NAME_R1.fastq and NAME_R2.fastq -> germline spec
PAIRED_GOLDENS = {"paired-igh": "human:IGH", "paired-short": "human:TRG,TRB"}


def paired_clone_list(result: AnalysisResult) -> str:
    """`clone_list` preceded by the merge statistics of each sample."""
    lines: list[str] = []
    for sample in result.samples:
        merging = sample.merging
        assert merging is not None
        lines.append(f"pairs\t{merging.pairs}\tmerged\t{merging.merged}")
        lines.append(f"unmerged\t{merging.unmerged()}\tkept\t{merging.kept}")
        lengths = sorted(merging.overlaps.items())
        lines.append("overlaps\t" + " ".join(f"{length}:{count}" for length, count in lengths))
    return "\n".join(lines) + "\n" + clone_list(result)


def run_paired(name: str, processes: int, unmerged: UnmergedChoice = "r1") -> AnalysisResult:
    germline = load_germline(PAIRED_GOLDENS[name]).germline_set
    options = AnalysisOptions(
        top=20,
        min_reads=2,
        processes=processes,
        chunk_size=64,
        merging=MergeOptions(unmerged=unmerged),
    )
    pair = (INPUTS / f"{name}_R1.fastq", INPUTS / f"{name}_R2.fastq")
    return analyze([pair], germline, options)


@pytest.mark.parametrize("processes", [1, 2], ids=["serial", "parallel"])
@pytest.mark.parametrize("name", sorted(PAIRED_GOLDENS))
def test_paired_golden(name: str, processes: int) -> None:
    actual = paired_clone_list(run_paired(name, processes))
    expected_path = EXPECTED / f"{name}.tsv"
    if REGENERATE and processes == 1:
        expected_path.write_text(actual)
    expected = expected_path.read_text()
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=str(expected_path),
            tofile=f"{name} ({processes} processes)",
        )
        pytest.fail("golden output differs:\n" + "".join(diff), pytrace=False)


@pytest.mark.parametrize("name", sorted(PAIRED_GOLDENS))
def test_paired_dominant_clones_are_found_whole(name: str) -> None:
    """As for single reads, but an unmerged pair's R1 may not reach the junction (fragments of
    up to 300 nt read as 2 x 150 here): 90% of the reads at least."""
    result = run_paired(name, 1)
    for truth in truth_clones(name):
        matching = [clone for clone in result.clones if truth["junction_nt"] in clone.sequence]
        assert matching, f"{truth['clone_id']} ({truth['locus']}) not found"
        best = max(matching, key=lambda clone: clone.reads[0])
        assert best.reads[0] >= 0.9 * int(truth["reads"]), (truth["clone_id"], best.reads)
        assert sum(clone.reads[0] for clone in matching) <= int(truth["reads"])


def test_merged_reads_are_the_simulated_fragments() -> None:
    """Every merged pair of the simulated sample has its fragment's length, and dropping the
    unmerged pairs leaves exactly the merged reads."""
    with (INPUTS / "paired-igh.fragments.tsv").open() as handle:
        fragments = {
            row["read_id"]: int(row["read_len"]) for row in csv.DictReader(handle, delimiter="\t")
        }
    merger = MergeOptions().merger()
    merged_lengths = {}
    pairs = iter_pairs(
        INPUTS / "paired-igh_R1.fastq", INPUTS / "paired-igh_R2.fastq", 64, keep_qualities=True
    )
    for first, second in pairs:
        for number, name in enumerate(first.names):
            merged, outcome, _, _ = merger.merge(
                first.sequences[number].encode(),
                first.qualities[number],
                second.sequences[number].encode(),
                second.qualities[number],
            )
            if outcome == 0:
                merged_lengths[mate_id(name)] = len(merged)
    assert len(merged_lengths) >= 0.9 * len(fragments)
    assert all(length == fragments[read] for read, length in merged_lengths.items())
    unmerged_are_long = [fragments[read] for read in fragments if read not in merged_lengths]
    assert all(length > 300 - 12 for length in unmerged_are_long)  # overlaps under 12 nt
    result = run_paired("paired-igh", 1, unmerged="drop")
    assert result.samples[0].total_reads == len(merged_lengths)
