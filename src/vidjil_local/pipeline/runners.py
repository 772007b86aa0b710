"""Runners: turn chunks of reads into one `ChunkResult` per sample, serially or in a process pool.

A sample is a reads file or a pair of files (R1, R2): the mates of each chunk of pairs are
merged (`core.merge_stats.merge_pairs`) where the chunk is detected, in the pool too, and the
merge statistics are summed with the rest of the chunk's result.

`SerialRunner` and `ParallelRunner` share one interface (`run`) and one per-chunk function, and
both sum chunk results in input order, so their outputs are identical. With `processes` N, the
parallel runner uses a spawn pool of N - 1 workers, and this process, besides reading and
merging, detects a chunk itself whenever three chunks per worker already wait in the pool. It
keeps at most four chunks per worker (plus four) in flight, so memory stays flat whatever the
file size. Given a `share` (the cores a job may use now, which changes as other jobs start and
end), the pool follows it between chunks, up to N (`elastic_pool.py`). Between chunks, both
report progress `(done_bytes, total_bytes)` and honour a cancellation check.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Protocol

from vidjil_local.core.detection import DEFAULT_EVALUE, DEFAULT_WINDOW_LENGTH, Detector
from vidjil_local.core.genes import Gene, GermlineSet, Locus, Recombination
from vidjil_local.core.kmers import KmerIndex
from vidjil_local.core.windows import ChunkResult
from vidjil_local.errors import VidjilError
from vidjil_local.pipeline.elastic_pool import ElasticPool, Share
from vidjil_local.pipeline.units import (
    MergeOptions,
    Payload,
    SampleInput,
    Unit,
    UnitWork,
    input_size,
    iter_units,
)

# Seconds between GIL hand-overs in a parallel run (Python's default is 0.005).
SWITCH_INTERVAL = 0.0005

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class AnalysisCancelled(VidjilError):
    """The analysis was cancelled between two chunks."""

    code = "cancelled"
    http_status = 409


@dataclass(frozen=True)
class DetectionSettings:
    """What every process needs to build its `Detector`."""

    window_length: int = DEFAULT_WINDOW_LENGTH
    max_evalue: float = DEFAULT_EVALUE
    unexpected: bool = False  # also look for unexpected recombinations (Vidjil's -2, "xxx")


def default_processes() -> int:
    """CPU count - 1 (the CPUs this process may use), at least 1."""
    return max(1, len(os.sched_getaffinity(0)) - 1)


class Runner(Protocol):
    def run(
        self,
        paths: Sequence[SampleInput],
        chunk_size: int,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> list[ChunkResult]:
        """One summed `ChunkResult` per path, in order."""
        ...


def make_runner(
    germline_set: GermlineSet,
    settings: DetectionSettings,
    processes: int,
    merging: MergeOptions | None = None,
    share: Share | None = None,
) -> Runner:
    """Serial for one process; otherwise this process plus a spawn pool of `processes - 1`, or of
    `share() - 1` at each moment (at most `processes - 1`) when a share is given."""
    merging = merging or MergeOptions()
    if processes <= 1:
        return SerialRunner(germline_set, settings, merging)
    return ParallelRunner(germline_set, settings, processes, merging, share)


class _ProgressTracker:
    """Bytes done over all inputs, from the per-input positions the units carry."""

    def __init__(self, inputs: Sequence[SampleInput], progress: Progress | None) -> None:
        self.sizes = [input_size(item) for item in inputs]
        self.total = sum(self.sizes)
        self.progress = progress

    def unit_done(self, unit: Unit) -> None:
        if self.progress is not None:
            before = sum(self.sizes[: unit.sample])
            done = min(self.total, before + unit.bytes_read)
            self.progress(done, self.total)

    def finished(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)


def _check(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise AnalysisCancelled("analysis cancelled")


class SerialRunner:
    def __init__(
        self,
        germline_set: GermlineSet,
        settings: DetectionSettings,
        merging: MergeOptions | None = None,
    ) -> None:
        self.germline_set = germline_set
        self.settings = settings
        self.merging = merging or MergeOptions()

    def __repr__(self) -> str:
        return f"SerialRunner({self.settings}, {self.merging})"

    def run(
        self,
        paths: Sequence[SampleInput],
        chunk_size: int,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> list[ChunkResult]:
        work = UnitWork(make_detector(self.germline_set, self.settings), self.merging)
        results = [ChunkResult() for _ in paths]
        tracker = _ProgressTracker(paths, progress)
        for unit in iter_units(paths, chunk_size):
            _check(cancelled)
            results[unit.sample] += work(unit.payload)
            tracker.unit_done(unit)
        tracker.finished()
        return results


class ParallelRunner:
    def __init__(
        self,
        germline_set: GermlineSet,
        settings: DetectionSettings,
        processes: int,
        merging: MergeOptions | None = None,
        share: Share | None = None,
    ):
        self.germline_set = germline_set
        self.settings = settings
        self.processes = processes
        self.merging = merging or MergeOptions()
        self.share = share or (lambda: processes)

    def __repr__(self) -> str:
        return f"ParallelRunner({self.settings}, {self.merging}, processes={self.processes})"

    def run(
        self,
        paths: Sequence[SampleInput],
        chunk_size: int,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> list[ChunkResult]:
        # The pool's threads (sending chunks, receiving results) need the GIL while this thread
        # detects reads: hand it over sooner than every 5 ms, or the worker waits for its input.
        switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        try:
            return self._run(paths, chunk_size, progress, cancelled)
        finally:
            sys.setswitchinterval(switch_interval)

    def _run(
        self,
        paths: Sequence[SampleInput],
        chunk_size: int,
        progress: Progress | None,
        cancelled: Cancelled | None,
    ) -> list[ChunkResult]:
        results = [ChunkResult() for _ in paths]
        tracker = _ProgressTracker(paths, progress)
        plain = _germline_to_plain(self.germline_set)
        # This process reads, merges, and detects the chunks the pool cannot take yet.
        workers = self.processes - 1
        local = UnitWork(make_detector(self.germline_set, self.settings), self.merging)
        with ElasticPool(
            self.share, self.processes, _initialize_worker, (plain, self.settings, self.merging)
        ) as pool:
            units = iter_units(paths, chunk_size)
            depth = lambda: 3 * pool.workers()  # noqa: E731
            ordered = in_order(pool, units, 4 * workers + 4, _work_in_worker, local, depth)
            for unit, result in ordered:
                _check(cancelled)
                results[unit.sample] += result
                tracker.unit_done(unit)
        tracker.finished()
        return results


def in_order(
    pool: Executor,
    chunks: Iterable[Unit],
    in_flight: int,
    work: Callable[[Payload], ChunkResult],
    local: Callable[[Payload], ChunkResult] | None = None,
    pool_depth: int | Callable[[], int] = 0,
) -> Iterator[tuple[Unit, ChunkResult]]:
    """`work` on each chunk's reads in `pool`, results in input order, at most `in_flight`
    chunks read ahead: memory stays flat whatever the input size. With `local`, a chunk is
    done here instead whenever `pool_depth` chunks already wait in the pool, so this process
    detects what the pool cannot take (while the workers start, or when they fall behind), and
    results are handed over as soon as they are ready, not only when `in_flight` is reached.
    `pool_depth` may be a function, read before each chunk (a pool whose size changes)."""
    depth = pool_depth if callable(pool_depth) else lambda: pool_depth
    pending: deque[tuple[Unit, Future[ChunkResult]]] = deque()
    try:
        for chunk in chunks:
            if local is not None and _waiting(pending) >= depth():
                done_here: Future[ChunkResult] = Future()
                done_here.set_result(local(chunk.payload))
                pending.append((chunk, done_here))
            else:
                pending.append((chunk, pool.submit(work, chunk.payload)))
            while pending and (len(pending) >= in_flight or pending[0][1].done()):
                done_chunk, future = pending.popleft()
                yield done_chunk, future.result()
        while pending:
            done_chunk, future = pending.popleft()
            yield done_chunk, future.result()
    finally:
        for _, future in pending:
            future.cancel()


def _waiting(pending: deque[tuple[Unit, Future[ChunkResult]]]) -> int:
    """Chunks not done yet: the pool's queue and running chunks."""
    return sum(1 for _, future in pending if not future.done())


# The detector (and merger) of a worker process, built once by the pool initializer.
_worker: UnitWork | None = None

PlainGene = tuple[str, str, str, int]
PlainUnit = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # gene names: 5', 3', D
PlainLocus = tuple[
    str,
    tuple[PlainGene, ...],
    tuple[PlainGene, ...],
    tuple[PlainGene, ...],
    str,
    tuple[PlainUnit, ...],
]


def _initialize_worker(
    plain: tuple[str, tuple[PlainLocus, ...]], settings: DetectionSettings, merging: MergeOptions
) -> None:
    global _worker
    _worker = UnitWork(make_detector(_germline_from_plain(plain), settings), merging)


def _work_in_worker(payload: Payload) -> ChunkResult:
    assert _worker is not None, "worker used before its initializer"
    return _worker(payload)


def make_detector(germline_set: GermlineSet, settings: DetectionSettings) -> Detector:
    """The detector of `germline_set` with these settings (one per process: it holds the index)."""
    return Detector(
        KmerIndex(germline_set), settings.window_length, settings.max_evalue, settings.unexpected
    )


def _germline_to_plain(germline_set: GermlineSet) -> tuple[str, tuple[PlainLocus, ...]]:
    """Compiled dataclasses do not pickle: send the germline set to workers as plain tuples."""

    def genes(values: tuple[Gene, ...]) -> tuple[PlainGene, ...]:
        return tuple((gene.name, gene.segment, gene.sequence, gene.anchor) for gene in values)

    def names(values: tuple[Gene, ...]) -> tuple[str, ...]:
        return tuple(gene.name for gene in values)

    loci = tuple(
        (
            locus.name,
            genes(locus.v_genes),
            genes(locus.j_genes),
            genes(locus.d_genes),
            locus.seed,
            tuple(
                (names(unit.five), names(unit.three), names(unit.middle))
                for unit in locus.recombinations
            ),
        )
        for locus in germline_set.loci
    )
    return germline_set.name, loci


def _germline_from_plain(plain: tuple[str, tuple[PlainLocus, ...]]) -> GermlineSet:
    def genes(values: tuple[PlainGene, ...]) -> tuple[Gene, ...]:
        return tuple(Gene(*value) for value in values)

    def locus(item: PlainLocus) -> Locus:
        v_genes, j_genes, d_genes = genes(item[1]), genes(item[2]), genes(item[3])
        by_name = [{gene.name: gene for gene in role} for role in (v_genes, j_genes, d_genes)]
        units = tuple(
            Recombination(*(tuple(by_name[role][name] for name in unit[role]) for role in range(3)))
            for unit in item[5]
        )
        return Locus(item[0], v_genes, j_genes, d_genes, item[4], units)

    name, loci = plain
    return GermlineSet(name, tuple(locus(item) for item in loci))
