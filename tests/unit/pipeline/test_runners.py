from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from vidjil_local.core.genes import GermlineSet
from vidjil_local.core.windows import ChunkResult, WindowStats
from vidjil_local.errors import InputFormatError
from vidjil_local.germline import load_germline
from vidjil_local.pipeline import (
    AnalysisCancelled,
    AnalysisOptions,
    DetectionSettings,
    ParallelRunner,
    SerialRunner,
    analyze,
    default_processes,
    make_runner,
)
from vidjil_local.pipeline.analysis import _clones, _clusters
from vidjil_local.pipeline.runners import in_order
from vidjil_local.pipeline.units import MergeOptions, Payload, SampleInput, Unit

GOLDEN = Path(__file__).resolve().parents[2] / "data" / "golden"


@pytest.fixture(scope="module")
def igh() -> GermlineSet:
    return load_germline("human:IGH").germline_set


def test_make_runner_and_default_processes(igh: GermlineSet) -> None:
    assert default_processes() >= 1
    assert isinstance(make_runner(igh, DetectionSettings(), 1), SerialRunner)
    assert isinstance(make_runner(igh, DetectionSettings(), 2), ParallelRunner)


@pytest.mark.parametrize("processes", [1, 2], ids=["serial", "parallel"])
def test_progress_goes_up_to_the_total(igh: GermlineSet, processes: int) -> None:
    paths = [GOLDEN / "igh.fastq", GOLDEN / "reverse.fastq"]
    seen: list[tuple[int, int]] = []
    runner = make_runner(igh, DetectionSettings(), processes)
    results = runner.run(paths, 50, progress=lambda done, total: seen.append((done, total)))
    total = sum(path.stat().st_size for path in paths)
    assert [result.statistics.total for result in results] == [300, 200]
    assert len(seen) >= 10
    assert all(seen_total == total for _, seen_total in seen)
    done = [value for value, _ in seen]
    assert done == sorted(done) and done[-1] == total


@pytest.mark.parametrize("processes", [1, 2], ids=["serial", "parallel"])
def test_cancellation_is_checked_between_chunks(igh: GermlineSet, processes: int) -> None:
    calls: list[int] = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    runner = make_runner(igh, DetectionSettings(), processes)
    with pytest.raises(AnalysisCancelled):
        runner.run([GOLDEN / "igh.fastq"], 50, cancelled=cancelled)
    assert len(calls) == 3


def test_two_samples_share_clones(igh: GermlineSet) -> None:
    paths = [GOLDEN / "igh.fastq", GOLDEN / "n-bases.fastq"]  # n-bases: igh reads with N
    result = analyze(paths, igh, AnalysisOptions(top=5, min_reads=3, processes=1))
    assert [sample.original_name for sample in result.samples] == ["igh.fastq", "n-bases.fastq"]
    first = result.clones[0]
    assert first.top == 1
    assert first.reads[0] >= 85 and first.reads[1] >= 50
    assert all(len(clone.reads) == 2 for clone in result.clones)
    assert all(clone.designation is not None for clone in result.clones if clone.top <= 5)
    assert all(max(clone.reads) >= 3 or clone.top <= 5 for clone in result.clones)
    assert first.sequence[first.window_start :].startswith(first.clone_id)


def test_chunks_are_read_ahead_by_at_most_in_flight() -> None:
    consumed: list[int] = []

    def chunks() -> Iterator[Unit]:
        for number in range(20):
            consumed.append(number)
            yield Unit(0, number, ["ACGT" * number], [f"r{number}"])

    def work(sequences: Payload) -> ChunkResult:
        result = ChunkResult()
        result.statistics.total = len(sequences[0])
        return result

    with ThreadPoolExecutor(2) as pool:
        for position, (chunk, result) in enumerate(in_order(pool, chunks(), 3, work)):
            assert chunk.bytes_read == position  # input order
            assert result.statistics.total == 4 * position
            assert len(consumed) <= position + 3


def test_this_process_takes_the_chunks_a_busy_pool_cannot() -> None:
    release = threading.Event()
    done_here: list[int] = []

    def chunks() -> Iterator[Unit]:
        for number in range(12):
            yield Unit(0, number, ["ACGT" * number], [f"r{number}"])

    def work(sequences: Payload) -> ChunkResult:
        release.wait(5)  # the pool is stuck until this process has done some chunks itself
        result = ChunkResult()
        result.statistics.total = len(sequences[0])
        return result

    def local(sequences: Payload) -> ChunkResult:
        done_here.append(len(sequences[0]) // 4)
        if len(done_here) == 3:
            release.set()
        result = ChunkResult()
        result.statistics.total = len(sequences[0])
        return result

    with ThreadPoolExecutor(1) as pool:
        ordered = list(in_order(pool, chunks(), 8, work, local, 2))
    assert [chunk.bytes_read for chunk, _ in ordered] == list(range(12))  # input order
    assert [result.statistics.total for _, result in ordered] == [4 * n for n in range(12)]
    assert done_here[:3] == [2, 3, 4]  # the pool holds two chunks: the next ones are done here


@pytest.mark.parametrize("processes", [1, 2], ids=["serial", "parallel"])
def test_a_format_error_stops_the_run_with_its_line(
    igh: GermlineSet, processes: int, tmp_path: Path
) -> None:
    good = (GOLDEN / "igh.fastq").read_text()
    bad = tmp_path / "bad.fastq"
    bad.write_text(good + "@broken\nACGTACGT\n+\nIII\n")
    runner = make_runner(igh, DetectionSettings(), processes)
    with pytest.raises(InputFormatError) as raised:
        runner.run([bad], 50)
    assert raised.value.line == len(good.splitlines()) + 4


def test_clones_whose_window_was_mostly_shifted_get_w50() -> None:
    window = "ACGT" * 12 + "AC"
    result = ChunkResult()
    result.windows[window] = WindowStats("IGH", 4, 800, "TT" + window + "GG", 2, shifted=3)
    result.windows["T" * 50] = WindowStats("IGH", 2, 400, "T" * 60, 5, shifted=0)
    options = AnalysisOptions(top=5, min_reads=1, processes=1)
    clones = _clones(_clusters([result], options), [result], options)
    assert [clone.reads for clone in clones] == [[4], [2]]
    assert [warning.code for warning in clones[0].warnings] == ["W50"]
    assert "3 of its 4 reads" in clones[0].warnings[0].message
    assert clones[1].warnings == []


def recorder(into: list[tuple[int, int]]) -> Callable[[int, int], None]:
    def record(done: int, total: int) -> None:
        into.append((done, total))

    return record


def test_paired_samples_serial_and_parallel_agree(igh: GermlineSet, tmp_path: Path) -> None:
    """A pair and a single file in one run: merging happens in the workers too, and the
    merge statistics sum to the same totals; progress counts the bytes of both mates."""
    pair = (GOLDEN / "paired-igh_R1.fastq", GOLDEN / "paired-igh_R2.fastq")
    inputs: list[SampleInput] = [pair, GOLDEN / "igh.fastq"]
    totals = []
    for processes in (1, 2):
        seen: list[tuple[int, int]] = []
        runner = make_runner(igh, DetectionSettings(), processes, MergeOptions(unmerged="drop"))
        results = runner.run(inputs, 40, progress=recorder(seen))
        merging = results[0].merging
        totals.append(
            (merging.pairs, merging.merged, merging.overlaps, results[0].statistics.total)
        )
        assert results[1].merging.pairs == 0 and results[1].statistics.total == 300
        size = sum(path.stat().st_size for path in (*pair, GOLDEN / "igh.fastq"))
        assert seen[-1] == (size, size)
    assert totals[0] == totals[1]
    assert totals[0][0] == 300 and totals[0][3] == totals[0][1]  # drop: merged reads only
