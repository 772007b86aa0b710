"""Incomplete and unexpected recombinations through `analyze`: one clone per system, named in
the `.vidjil` (`germline`, `reads.germline`) and AIRR (`locus`) files as Vidjil names it, the same
serially and with worker processes (which rebuild the germline set's recombinations)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.recombinations import ARCHIVE, ARCHIVE_CASES, BUNDLED_CASES, Case, make_read
from tests.unit.pipeline.test_cli_analyze import parse
from vidjil_local.core.kmers import reverse_complement
from vidjil_local.germline import load_germline


def write_reads(path: Path, spec: str, cases: tuple[Case, ...]) -> None:
    """Clone n of `cases` gets 20 + n reads, every other one reverse-complemented."""
    germline_set = load_germline(spec).germline_set
    lines = []
    for number, case in enumerate(cases):
        read = make_read(germline_set, case, number)
        for copy in range(20 + number):
            shown = reverse_complement(read) if copy % 2 else read
            lines.append(f"@c{number}r{copy}\n{shown}\n+\n{'I' * len(shown)}\n")
    path.write_text("".join(lines))


@pytest.mark.parametrize(
    ("spec", "cases"),
    [("human", BUNDLED_CASES), (str(ARCHIVE), ARCHIVE_CASES)],
    ids=["bundled", "archive"],
)
@pytest.mark.parametrize("processes", ["1", "2"])
def test_every_system_is_a_named_clone(
    tmp_path: Path, spec: str, cases: tuple[Case, ...], processes: str
) -> None:
    reads = tmp_path / "systems.fastq"
    write_reads(reads, spec, cases)
    arguments = ["analyze", str(reads), "-g", spec, "-2", "-o", str(tmp_path), "--quiet"]
    args = parse([*arguments, "--processes", processes, "--min-reads", "1"])
    assert args.handler(args) == 0
    document = json.loads((tmp_path / "systems.vidjil").read_text())
    assert document["reads"]["segmented"] == document["reads"]["total"]
    clones = sorted(document["clones"], key=lambda clone: -clone["reads"][0])
    assert len(clones) == len(cases)
    for clone, case in zip(clones, reversed(cases), strict=True):
        assert clone["germline"] == case.system, clone["name"]
        assert clone["seg"]["5"]["name"] == case.five, clone["name"]
        assert clone["seg"]["3"]["name"] == case.three, clone["name"]
    expected = {case.system for case in cases}
    assert set(document["reads"]["germline"]) == expected
    with (tmp_path / "systems.tsv").open() as handle:
        loci = {row["locus"] for row in csv.DictReader(handle, delimiter="\t")}
    assert loci == expected
