"""The window counts file: every window of every sample, written and read back."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from vidjil_local.core.result import AnalysisResult, SampleResult
from vidjil_local.errors import InputFormatError
from vidjil_local.results import read_window_counts, window_counts_path, write_window_counts


def two_samples() -> AnalysisResult:
    first = SampleResult("diag\tnosis.fq", windows={"AAAA": ("IGH", 7), "CCCC": ("TRG", 1)})
    second = SampleResult("fu.fq", windows={"CCCC": ("TRG", 9), "GGGG": ("IGH", 2)})
    return AnalysisResult([first, second], [])


def test_windows_round_trip_most_reads_first(tmp_path: Path) -> None:
    path = tmp_path / "x.windows.tsv.gz"
    write_window_counts(two_samples(), path)
    lines = gzip.decompress(path.read_bytes()).decode().splitlines()
    assert lines == [
        "# vidjil-local window counts 1",
        "window\tlocus\tdiag nosis.fq\tfu.fq",
        "CCCC\tTRG\t1\t9",
        "AAAA\tIGH\t7\t0",
        "GGGG\tIGH\t0\t2",
    ]
    first, second = read_window_counts(path)
    assert first == {"AAAA": ("IGH", 7), "CCCC": ("TRG", 1)}
    assert second == {"CCCC": ("TRG", 9), "GGGG": ("IGH", 2)}
    assert read_window_counts(path, wanted={"GGGG"}) == [{}, {"GGGG": ("IGH", 2)}]


def test_the_path_sits_next_to_the_vidjil_file() -> None:
    assert window_counts_path("/r/12/7/fu.vidjil") == Path("/r/12/7/fu.windows.tsv.gz")


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (b"window\tlocus\ts\n", 1, "not a window counts file"),
        (b"# vidjil-local window counts 1\nwin\tlocus\ts\n", 2, "header"),
        (b"# vidjil-local window counts 1\nwindow\tlocus\ts\nAC\tIGH\n", 3, "columns"),
        (b"# vidjil-local window counts 1\nwindow\tlocus\ts\nAC\tIGH\tx\n", 3, "not a number"),
    ],
)
def test_a_damaged_file_is_refused_with_its_line(
    tmp_path: Path, content: bytes, line: int, message: str
) -> None:
    path = tmp_path / "bad.windows.tsv.gz"
    path.write_bytes(gzip.compress(content))
    with pytest.raises(InputFormatError, match=message) as raised:
        read_window_counts(path)
    assert raised.value.line == line


def test_a_missing_or_truncated_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match="cannot read"):
        read_window_counts(tmp_path / "none.windows.tsv.gz")
    path = tmp_path / "cut.windows.tsv.gz"
    path.write_bytes(gzip.compress(b"# vidjil-local window counts 1\nwindow\tlocus\ts\n")[:-9])
    with pytest.raises(InputFormatError):
        read_window_counts(path)


@pytest.mark.parametrize(
    "name", ["échantillon-été.fastq", "\u202eqf.exe", "患者.fq", "ok\u200f.fq"]
)
def test_a_sample_named_beyond_ascii_round_trips(tmp_path: Path, name: str) -> None:
    # Written in ASCII, these names failed every analysis of such a file (UnicodeEncodeError).
    path = tmp_path / "x.windows.tsv.gz"
    write_window_counts(
        AnalysisResult([SampleResult(name, windows={"ACGT": ("IGH", 3)})], []), path
    )
    header = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()[1]
    assert header == f"window\tlocus\t{name}"
    assert read_window_counts(path) == [{"ACGT": ("IGH", 3)}]
