from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from vidjil_local.cli import analyze as command
from vidjil_local.errors import UsageError

GOLDEN = Path(__file__).resolve().parents[2] / "data" / "golden"


def parse(arguments: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="vidjil-local")
    command.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(arguments)


def test_analyze_writes_vidjil_and_airr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    arguments = ["analyze", str(GOLDEN / "mixed.fastq"), "-g", "human", "-o", str(tmp_path)]
    args = parse([*arguments, "--processes", "1", "--top", "10"])
    assert args.handler is command.run
    assert args.handler(args) == 0
    document = json.loads((tmp_path / "mixed.vidjil").read_text())
    assert document["reads"]["total"] == [400]
    assert document["reads"]["segmented"] == [392]
    assert len(document["clones"]) >= 7
    rows = (tmp_path / "mixed.tsv").read_text().splitlines()
    assert rows[0].startswith("sequence_id") or "sequence_id" in rows[0].split("\t")
    assert len(rows) == len(document["clones"]) + 1
    output = capsys.readouterr().out
    assert "segmented: 392 (98.00%)" in output
    assert "IGH:" in output and "TRD:" in output


@pytest.mark.parametrize(
    "extra", [["-w", "5"], ["--processes", "0"], ["--min-reads", "0"], ["-e", "0"]]
)
def test_bad_options_are_usage_errors(tmp_path: Path, extra: list[str]) -> None:
    args = parse(["analyze", str(GOLDEN / "igh.fastq"), "-o", str(tmp_path), *extra])
    with pytest.raises(UsageError):
        command.run(args)


def test_base_name() -> None:
    assert command.base_name(Path("/x/sample.fastq.gz")) == "sample"
    assert command.base_name(Path("reads.fa")) == "reads"
    assert command.base_name(Path("run.1.fq")) == "run.1"


def test_progress_bar_draws_on_one_line() -> None:
    stream = io.StringIO()
    bar = command.ProgressBar(stream)
    bar.update(0, 200)
    bar.update(100, 200)  # within 0.1 s of the previous draw: skipped
    bar.update(200, 200)  # the end is always drawn
    bar.close()
    text = stream.getvalue()
    assert text.count("\r") == 2
    assert "100.0%" in text and text.endswith("\n")
