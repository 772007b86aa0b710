"""The reads of the designated clones as FASTA (`analyze --clone-reads`): a second pass.

The first pass keeps counts and a few reads per window, never all reads (memory stays flat), so
the reads of the top clones are found again: each read is detected once more and written when
its window belongs to a designated clone. Reads come out in file order, strand-corrected, as
`>READ_ID clone=TOP locus=LOCUS sample=N`, N counting the inputs from 1. It costs about one more
detection pass over the inputs, in this process only: it is an option.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vidjil_local.core.genes import GermlineSet
from vidjil_local.core.result import AnalysisResult
from vidjil_local.pipeline.runners import DetectionSettings, make_detector
from vidjil_local.reads import DEFAULT_CHUNK_SIZE, iter_chunks
from vidjil_local.results._atomic import atomic_text_file


def write_clone_reads(
    paths: Sequence[Path],
    germline_set: GermlineSet,
    settings: DetectionSettings,
    result: AnalysisResult,
    output: Path,
) -> int:
    """Writes the reads of the designated clones of `result` to `output`; how many."""
    owner = {
        window: clone.top
        for clone in result.clones
        if clone.designation is not None
        for window in clone.members
    }
    loci = {clone.top: clone.locus for clone in result.clones}
    detector = make_detector(germline_set, settings)
    written = 0
    with atomic_text_file(output) as handle:
        for chunk in iter_chunks(paths, DEFAULT_CHUNK_SIZE):
            for name, sequence in zip(chunk.names, chunk.sequences, strict=True):
                detection = detector.detect(sequence)
                top = owner.get(detection.window) if detection.reason == 0 else None
                if top is None:
                    continue
                header = f"{name.split()[0]} clone={top} locus={loci[top]}"
                handle.write(f">{header} sample={chunk.file_index + 1}\n{detection.sequence}\n")
                written += 1
    return written
