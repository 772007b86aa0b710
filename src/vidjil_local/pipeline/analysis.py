"""One analysis: reads files -> per-sample windows -> clones -> designated `AnalysisResult`.

A sample is a reads file or a pair of files (R1, R2), whose mates are merged first (see
`pipeline.units`); the merge statistics of a paired sample are in its `SampleResult.merging`.

Order: run the detection over every file (serial or parallel runner), cluster the windows of all
samples together (a clone is the same across samples), set the spike-ins apart and take the
samples' measures (`pipeline.measures`), rank clones per sample, keep the top `top` of each
sample plus every clone with at least `min_reads` reads, designate the top `top` clones on
their consensus sequence, then measure them (V identity, warnings).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from vidjil_local import __version__
from vidjil_local.core.clustering import Cluster, cluster_windows
from vidjil_local.core.consensus import consensus
from vidjil_local.core.designation import Designer
from vidjil_local.core.detection import DEFAULT_EVALUE, DEFAULT_WINDOW_LENGTH
from vidjil_local.core.genes import GermlineSet
from vidjil_local.core.identity import IdentityMeter
from vidjil_local.core.result import (
    W_SHORT_WINDOW,
    AnalysisResult,
    CloneResult,
    CloneWarning,
    SampleResult,
)
from vidjil_local.core.spikes import DNA_CELLS, Spike
from vidjil_local.core.windows import ChunkResult, WindowStats, cluster_reads
from vidjil_local.pipeline.measures import (
    SpikeSplit,
    measure_clones,
    measure_samples,
    split_spikes,
)
from vidjil_local.pipeline.runners import (
    Cancelled,
    DetectionSettings,
    Progress,
    default_processes,
    make_runner,
)
from vidjil_local.pipeline.units import MergeOptions, SampleInput, input_name
from vidjil_local.reads import DEFAULT_CHUNK_SIZE

PRODUCER = f"vidjil-local {__version__}"


@dataclass(frozen=True)
class AnalysisOptions:
    window_length: int = DEFAULT_WINDOW_LENGTH
    max_evalue: float = DEFAULT_EVALUE
    top: int = 100  # clones designated, and kept whatever their size, per sample
    min_reads: int = 5  # clones beyond the top are kept from this many reads (any sample)
    unexpected: bool = False  # also unexpected recombinations, system "xxx" (Vidjil's -2)
    processes: int = field(default_factory=default_processes)
    chunk_size: int = DEFAULT_CHUNK_SIZE
    command_line: str = ""
    merging: MergeOptions = field(default_factory=MergeOptions)  # paired samples only
    spikes: tuple[Spike, ...] = ()  # spike-ins: set apart, and a reads-to-cells factor
    dna_cells: int = DNA_CELLS  # cells in the amplified DNA, for the limit of detection
    # the cores the analysis may use at each moment, at most `processes` (a job's share of the
    # app's cores, which changes as other jobs start and end); None: `processes` throughout
    share: Callable[[], int] | None = field(default=None, compare=False)

    @property
    def detection(self) -> DetectionSettings:
        return DetectionSettings(self.window_length, self.max_evalue, self.unexpected)


def analyze(
    paths: Sequence[SampleInput],
    germline_set: GermlineSet,
    options: AnalysisOptions,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    germline_label: str = "",
) -> AnalysisResult:
    """Analyses each path as one sample; see the module docstring for the steps."""
    # Hundreds of thousands of long-lived window objects, and no reference cycles among them:
    # the cyclic garbage collector would traverse them again and again for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _analyze(paths, germline_set, options, progress, cancelled, germline_label)
    finally:
        if collecting:
            gc.enable()


def _analyze(
    paths: Sequence[SampleInput],
    germline_set: GermlineSet,
    options: AnalysisOptions,
    progress: Progress | None,
    cancelled: Cancelled | None,
    germline_label: str,
) -> AnalysisResult:
    runner = make_runner(
        germline_set, options.detection, options.processes, options.merging, options.share
    )
    per_sample = runner.run(paths, options.chunk_size, progress, cancelled)
    timestamp = time.strftime("%Y-%m-%d %H:%M:%S")
    samples = [
        _sample(path, result, options, timestamp)
        for path, result in zip(paths, per_sample, strict=True)
    ]
    split = _clusters(per_sample, options)
    measure_samples(samples, split, options.spikes, options.dna_cells)
    clones = _clones(split, per_sample, options)
    designer = Designer(germline_set)
    for clone in clones:
        if clone.top <= options.top:
            clone.designation = designer.designate(clone.sequence, clone.locus)
    measure_clones(clones, IdentityMeter(germline_set))
    return AnalysisResult(samples, clones, PRODUCER, timestamp, germline_label)


def _sample(
    path: SampleInput, result: ChunkResult, options: AnalysisOptions, timestamp: str
) -> SampleResult:
    statistics = result.statistics
    paired = isinstance(path, tuple)
    return SampleResult(
        original_name=input_name(path),
        total_reads=statistics.total,
        segmented_reads=statistics.segmented,
        reads_per_locus=dict(sorted(statistics.segmented_per_locus.items())),
        unsegmented=statistics.unsegmented(),
        producer=PRODUCER,
        command_line=options.command_line,
        timestamp=timestamp,
        log=_log(result, options.merging if paired else None),
        windows={window: (stats.locus, stats.count) for window, stats in result.windows.items()},
        merging=result.merging if paired else None,
        unmerged_reads=options.merging.unmerged if paired else "",
    )


def _log(result: ChunkResult, merging: MergeOptions | None) -> str:
    statistics = result.statistics
    lines = _merge_log(result, merging) if merging is not None else []
    lines += [f"reads: {statistics.total}", f"segmented: {statistics.segmented}"]
    lines += [f"{reason}: {count}" for reason, count in statistics.unsegmented().items()]
    if statistics.shifted_windows:
        lines.append(f"windows shifted inside their read: {statistics.shifted_windows}")
    return "\n".join(lines)


def _merge_log(result: ChunkResult, merging: MergeOptions) -> list[str]:
    statistics = result.merging
    lines = [f"pairs: {statistics.pairs}", f"merged: {statistics.merged}"]
    lines += [f"not merged, {reason}: {count}" for reason, count in statistics.unmerged().items()]
    if statistics.staggered:
        lines.append(f"merged, fragment shorter than a read: {statistics.staggered}")
    kept = {"r1": "R1 of", "both": "both reads of", "drop": "nothing of"}[merging.unmerged]
    lines.append(f"analysed: {kept} the unmerged pairs ({statistics.kept} reads)")
    return lines


def _clusters(per_sample: list[ChunkResult], options: AnalysisOptions) -> SpikeSplit:
    """Clusters the windows of all samples; spike-ins are set apart."""
    totals: dict[str, tuple[str, int]] = {}
    for result in per_sample:
        for window, stats in result.windows.items():
            previous = totals.get(window)
            totals[window] = (stats.locus, stats.count + (previous[1] if previous else 0))
    clusters = cluster_windows(totals)
    counts = [[_cluster_reads(cluster, result) for result in per_sample] for cluster in clusters]
    return split_spikes(clusters, counts, options.spikes, len(per_sample))


def _clones(
    split: SpikeSplit, per_sample: list[ChunkResult], options: AnalysisOptions
) -> list[CloneResult]:
    """The kept clones, best rank first."""
    clusters, counts = split.clusters, split.counts
    ranks = _ranks(counts, len(per_sample))
    kept = [
        number
        for number in range(len(clusters))
        if ranks[number] <= options.top
        or max(reads for reads, _ in counts[number]) >= options.min_reads
    ]
    kept.sort(key=lambda number: (ranks[number], number))
    return [_clone(clusters[number], counts[number], ranks[number], per_sample) for number in kept]


def _cluster_reads(cluster: Cluster, result: ChunkResult) -> tuple[int, int]:
    """(reads, summed read length) of a cluster in one sample."""
    return cluster_reads(cluster.members, result.windows)


def _ranks(counts: list[list[tuple[int, int]]], samples: int) -> list[int]:
    """Best rank of each cluster over the samples (1 = most reads), clusters ordered as given."""
    best = [len(counts) + 1] * len(counts)
    for sample in range(samples):
        order = sorted(
            (number for number in range(len(counts)) if counts[number][sample][0] > 0),
            key=lambda number: -counts[number][sample][0],
        )
        for rank, number in enumerate(order, start=1):
            best[number] = min(best[number], rank)
    return best


def _clone(
    cluster: Cluster, counts: list[tuple[int, int]], rank: int, per_sample: list[ChunkResult]
) -> CloneResult:
    representative = _representative(cluster.head, per_sample)
    supporters = [
        placed for result in per_sample for placed in result.supporters.get(cluster.head, [])
    ]
    clone = CloneResult(
        clone_id=cluster.head,
        locus=cluster.locus,
        reads=[reads for reads, _ in counts],
        sequence=consensus(representative.representative, representative.window_start, supporters),
        top=rank,
        window_start=representative.window_start,
        average_read_length=[
            round(length / reads, 1) if reads else 0.0 for reads, length in counts
        ],
        members=list(cluster.members),
    )
    shifted, reads = _shifted_reads(cluster.head, per_sample)
    if 2 * shifted >= reads:
        message = f"Window shifted inside the read for {shifted} of its {reads} reads"
        clone.warnings.append(CloneWarning(W_SHORT_WINDOW, message))
    return clone


def _shifted_reads(head: str, per_sample: list[ChunkResult]) -> tuple[int, int]:
    """(reads whose window was moved inside the read, reads) of a head window, all samples."""
    shifted = 0
    reads = 0
    for result in per_sample:
        stats = result.windows.get(head)
        if stats is not None:
            shifted += stats.shifted
            reads += stats.count
    return shifted, reads


def _representative(head: str, per_sample: list[ChunkResult]) -> WindowStats:
    """The head window's longest read over the samples (the first sample's on ties)."""
    best: WindowStats | None = None
    for result in per_sample:
        stats = result.windows.get(head)
        if stats is not None and (
            best is None or len(stats.representative) > len(best.representative)
        ):
            best = stats
    assert best is not None, "a cluster head comes from some sample"
    return best
