from __future__ import annotations

import argparse
import io
import json
import re
from pathlib import Path

import pytest

from tests.repertoire import spiked_follow_up
from vidjil_local.cli import analyze as command
from vidjil_local.core.kmers import reverse_complement
from vidjil_local.errors import InputFormatError, UsageError
from vidjil_local.germline import load_germline
from vidjil_local.results import read_window_counts

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
    (windows,) = read_window_counts(tmp_path / "mixed.windows.tsv.gz")
    per_locus: dict[str, int] = {}
    for locus, reads in windows.values():
        per_locus[locus] = per_locus.get(locus, 0) + reads
    assert per_locus == {locus: n[0] for locus, n in document["reads"]["germline"].items()}
    assert len(windows) >= len(document["clones"])  # every window, not only the kept clones
    output = capsys.readouterr().out
    assert "segmented: 392 (98.00%)" in output
    assert "IGH:" in output and "TRD:" in output
    # 392 reads of 100,000 cells: one cell is far fewer than the 3 reads counted at least
    phrase = (
        "limit of detection: 3 reads, the fewest counted: one cell of the amplified DNA is fewer"
    )
    assert phrase in output
    # the top clones' lines come under their column names
    lines = output.splitlines()
    header = lines.index(f"clones: {len(document['clones'])}; top 10:")
    assert lines[header + 1].split() == [
        "rank",
        "locus",
        "reads",
        "V",
        "ident.",
        "CDR3",
        "(aa)",
        "designation",
    ]
    assert lines[header + 2].startswith("  #1 ")


def test_a_file_named_with_accents_is_analysed(tmp_path: Path) -> None:
    # The window counts were written in ASCII: such a name ended the run with a traceback.
    reads = tmp_path / "échantillon-été.fastq"
    reads.write_bytes((GOLDEN / "tiny.fastq").read_bytes())
    args = parse(["analyze", str(reads), "-o", str(tmp_path / "out"), "--processes", "1"])
    assert args.handler(args) == 0
    document = json.loads((tmp_path / "out" / "échantillon-été.vidjil").read_text())
    assert document["samples"]["original_names"] == [reads.name]
    (windows,) = read_window_counts(tmp_path / "out" / "échantillon-été.windows.tsv.gz")
    assert sum(reads for _, reads in windows.values()) == document["reads"]["segmented"][0]


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


def _fasta(path: Path) -> list[tuple[str, str]]:
    lines = path.read_text().splitlines()
    return list(zip(lines[0::2], lines[1::2], strict=True))


def _fastq_reads(path: Path) -> dict[str, str]:
    lines = path.read_text().splitlines()
    return {lines[n][1:].split()[0]: lines[n + 1] for n in range(0, len(lines), 4)}


def test_clone_reads_are_every_read_of_the_designated_clones(tmp_path: Path) -> None:
    """Two samples (the same file twice): each designated clone's reads, as many as counted,
    strand-corrected; the dominant clones hold the simulated read counts."""
    inputs = [str(GOLDEN / "igh.fastq")] * 2
    arguments = ["-g", "human:IGH", "-o", str(tmp_path), "--quiet", "--clone-reads"]
    assert command.run(parse(["analyze", *inputs, *arguments])) == 0
    document = json.loads((tmp_path / "igh.vidjil").read_text())
    records = _fasta(tmp_path / "igh.clones.fa")
    originals = _fastq_reads(GOLDEN / "igh.fastq")
    counted: dict[tuple[int, int], int] = {}
    for header, sequence in records:
        read_id, clone, locus, sample = header[1:].split(" ")
        assert locus == "locus=IGH"
        assert sequence in (originals[read_id], reverse_complement(originals[read_id]))
        key = (int(clone.removeprefix("clone=")), int(sample.removeprefix("sample=")))
        counted[key] = counted.get(key, 0) + 1
    designated = [clone for clone in document["clones"] if "seg" in clone]
    for clone in designated:
        assert [counted.get((clone["top"], n), 0) for n in (1, 2)] == clone["reads"]
    truth = [90, 30, 9]  # tests/data/golden/igh.clones.tsv; one read of the second has two
    found = [counted[(top, 1)] for top in (1, 2, 3)]  # errors in its window: a clone apart
    assert found == [90, 29, 9] and all(
        n <= simulated for n, simulated in zip(found, truth, strict=True)
    )
    assert len(records) == 2 * sum(clone["reads"][0] for clone in designated)


def test_analyze_paired_merges_mates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`analyze R1 R2 --paired`: one sample of merged reads, its merge statistics in the
    `.vidjil` and the summary; the clone reads of a pair are named after it."""
    r1, r2 = GOLDEN / "paired-igh_R1.fastq", GOLDEN / "paired-igh_R2.fastq"
    options = ["--paired", "-g", "human:IGH", "--processes", "1", "--clone-reads"]
    args = parse(["analyze", str(r1), str(r2), *options, "--unmerged", "both", "-o", str(tmp_path)])
    assert command.run(args) == 0
    document = json.loads((tmp_path / "paired-igh_R1.vidjil").read_text())
    assert document["samples"]["original_names"] == ["paired-igh_R1.fastq + paired-igh_R2.fastq"]
    merging = document["samples"]["_merging"][0]
    assert merging["pairs"] == 300 and merging["merged"] == 277
    assert merging["unmerged"] == {"no_overlap": 23}
    assert (merging["unmerged_analysed"], merging["unmerged_reads"]) == ("both", 46)
    assert sum(merging["overlap_lengths"].values()) == 277
    assert document["reads"]["total"] == [277 + 46]
    assert "pairs: 300, merged: 277 (92.33%)" in capsys.readouterr().out
    headers = (tmp_path / "paired-igh_R1.clones.fa").read_text().splitlines()[0::2]
    assert headers and all(header.startswith(">r0") for header in headers)
    assert all("/1 " not in header for header in headers)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--min-overlap", "0"], "min_overlap"),
        (["--max-mismatch-density", "1"], "max_mismatch_density"),
        (["--max-overlap=-2"], "max_overlap"),  # "-2" alone is the -2 flag (unexpected)
    ],
)
def test_bad_paired_options(tmp_path: Path, extra: list[str], message: str) -> None:
    inputs = [str(GOLDEN / "paired-igh_R1.fastq"), str(GOLDEN / "paired-igh_R2.fastq")]
    args = parse(["analyze", *inputs, "--paired", "-o", str(tmp_path), *extra])
    with pytest.raises(UsageError, match=message):
        command.run(args)


def test_paired_inputs_go_two_by_two(tmp_path: Path) -> None:
    one = str(GOLDEN / "paired-igh_R1.fastq")
    with pytest.raises(UsageError, match="two by two: 3 INPUTs"):
        command.run(parse(["analyze", one, one, one, "--paired", "-o", str(tmp_path)]))
    with pytest.raises(UsageError, match="both R1 and R2"):
        command.run(parse(["analyze", one, one, "--paired", "-o", str(tmp_path)]))


def test_analyze_with_spike_ins_writes_the_mrd_estimates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    igh = load_germline("human:IGH").germline_set
    spikes, _ = spiked_follow_up(igh, tmp_path / "fu.fastq.gz")
    spike_file = tmp_path / "spikes.json"
    labels = [{"name": s.name, "sequence": s.sequence, "copies": f"{s.copies:g}"} for s in spikes]
    spike_file.write_text(json.dumps({"config": {"labels": labels}}))  # Vidjil's --label-json
    arguments = [str(tmp_path / "fu.fastq.gz"), "-g", "human:IGH", "-o", str(tmp_path)]
    args = parse(["analyze", *arguments, "--spikes", str(spike_file), "--processes", "1"])
    assert command.run(args) == 0
    document = json.loads((tmp_path / "fu.vidjil").read_text())
    assert document["mrd"]["UNI_COEFF"][0] == pytest.approx(0.05, rel=0.05)
    assert "normalized_reads" in document["clones"][0]
    output = capsys.readouterr().out
    assert "copies per read (spike-ins): 0.0" in output
    assert re.search(r"limit of detection: \d+\.\d reads, one cell of the amplified DNA", output)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[{}]", "no name"),
        ('[{"name": "a", "sequence": "ACGT", "copies": 1}]', "at least 60 nt"),
        ('[{"name": "a", "sequence": "' + "A" * 60 + '", "copies": 0}]', "positive"),
        ("{", "not JSON"),
    ],
)
def test_a_bad_spike_file_is_refused(tmp_path: Path, content: str, message: str) -> None:
    spike_file = tmp_path / "spikes.json"
    spike_file.write_text(content)
    args = parse(["analyze", str(GOLDEN / "igh.fastq"), "-o", str(tmp_path)])
    args.spikes = spike_file
    with pytest.raises(InputFormatError, match=message):
        command.run(args)
