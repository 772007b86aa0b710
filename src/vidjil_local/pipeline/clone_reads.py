"""The reads of the designated clones as FASTA (`analyze --clone-reads`): a second pass.

The first pass keeps counts and a few reads per window, never all reads (memory stays flat), so
the reads of the top clones are found again: each read is detected once more and written when
its window belongs to a designated clone. Reads come out in file order, strand-corrected, as
`>READ_ID clone=TOP locus=LOCUS sample=N`, N counting the inputs from 1. It costs about one more
detection pass over the inputs, in this process only: it is an option. The mates of a paired
sample are merged again the same way; the reads of a pair are named after it (no `/1`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from vidjil_local.core.genes import GermlineSet
from vidjil_local.core.result import AnalysisResult
from vidjil_local.pipeline.runners import DetectionSettings, make_detector
from vidjil_local.pipeline.units import MergeOptions, SampleInput, UnitWork, iter_units
from vidjil_local.reads import DEFAULT_CHUNK_SIZE, mate_id
from vidjil_local.results._atomic import atomic_text_file


def write_clone_reads(
    paths: Sequence[SampleInput],
    germline_set: GermlineSet,
    settings: DetectionSettings,
    result: AnalysisResult,
    output: Path,
    merging: MergeOptions | None = None,
) -> int:
    """Writes the reads of the designated clones of `result` to `output`; how many."""
    owner = {
        window: clone.top
        for clone in result.clones
        if clone.designation is not None
        for window in clone.members
    }
    loci = {clone.top: clone.locus for clone in result.clones}
    work = UnitWork(make_detector(germline_set, settings), merging or MergeOptions())
    written = 0
    with atomic_text_file(output) as handle:
        for sample, name, sequence in _sample_reads(paths, work):
            detection = work.detector.detect(sequence)
            top = owner.get(detection.window) if detection.reason == 0 else None
            if top is None:
                continue
            header = f"{name.split()[0]} clone={top} locus={loci[top]}"
            handle.write(f">{header} sample={sample + 1}\n{detection.sequence}\n")
            written += 1
    return written


def _sample_reads(paths: Sequence[SampleInput], work: UnitWork) -> Iterator[tuple[int, str, str]]:
    """(sample, read name, read) of every read analysed, mates merged."""
    for unit in iter_units(paths, DEFAULT_CHUNK_SIZE):
        if isinstance(unit.payload, list):
            yield from ((unit.sample, n, s) for n, s in zip(unit.names, unit.payload, strict=True))
            continue
        origins: list[int] = []
        reads, _ = work.reads_of(unit.payload, origins)
        for origin, sequence in zip(origins, reads, strict=True):
            yield unit.sample, mate_id(unit.names[origin]), sequence
