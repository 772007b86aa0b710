"""Vidjil's warnings on a sample and its clones (codes from Vidjil's doc/warnings.md).

- W20, on a sample: fewer than `W20_SEGMENTED` of its reads hold a V(D)J recombination (a
  capture or RNA-seq library, the wrong primers, the wrong germline set);
- W51, on a clone: low coverage, the average read covers less than `W51_COVERAGE` of the clone
  sequence (the longest read), so its ends rest on a few reads;
- W53, on a clone: the same designation (V, deletions, N, J) as a larger clone, likely a part
  of it that the clustering kept apart (a warning for the first `W53_WARN_RANK` clones, an
  information beyond, as vidjil-algo);
- W61, on a clone: IGHD7-27 (DQ52) whole at its 3' end, IGHJ1 whole at its 5' end and at least
  `W61_SPACER` nt between them: the germline D-J stretch, not a recombination.
W81 and W82 compare samples: the fuse gives them.
"""

from __future__ import annotations

import math

from vidjil_local.core.result import CloneResult, CloneWarning, Designation, SampleResult

W20_SEGMENTED = 0.40  # vidjil-algo's WARN_PERCENT_SEGMENTED
W51_COVERAGE = 0.6  # vidjil-algo's WARN_COVERAGE
W53_WARN_RANK = 10  # vidjil-algo's WARN_NUM_CLONES_SIMILAR
W61_SPACER = 50  # the IGHD7-27 - IGHJ1 germline spacer is about 100 nt
W_FEW_RECOMBINATIONS = "W20"
W_LOW_COVERAGE = "W51"
W_SIMILAR = "W53"
W_DQ52_J1 = "W61"


def sample_warnings(sample: SampleResult) -> list[CloneWarning]:
    """W20 when few reads of the sample hold a recombination."""
    if sample.total_reads == 0 or sample.segmented_reads >= W20_SEGMENTED * sample.total_reads:
        return []
    percent = 100.0 * sample.segmented_reads / sample.total_reads
    message = f"Very few V(D)J recombinations found: {percent:.2f}%"
    return [CloneWarning(W_FEW_RECOMBINATIONS, message)]


def coverage(clone: CloneResult) -> list[float]:
    """Per sample: the clone's average read length over its sequence length (0 when absent)."""
    length = len(clone.sequence)
    if length == 0:
        return [0.0 for _ in clone.reads]
    return [min(1.0, average / length) for average in clone.average_read_length]


def add_clone_warnings(clones: list[CloneResult]) -> None:
    """Adds W51, W53 and W61 to the clones (ordered by rank, best first)."""
    seen_names: dict[str, int] = {}
    for clone in clones:
        _check_coverage(clone)
        designation = clone.designation
        if designation is None:
            continue
        if _is_dq52_j1(designation):
            message = "Non-recombined D7-27/J1 sequence"
            clone.warnings.append(CloneWarning(W_DQ52_J1, message))
        name = designation.name
        if not name:
            continue
        if name in seen_names:
            level = "warn" if clone.top <= W53_WARN_RANK else "info"
            message = f"Similar to another clone {name} (rank {seen_names[name]})"
            clone.warnings.append(CloneWarning(W_SIMILAR, message, level))
        else:
            seen_names[name] = clone.top


def _check_coverage(clone: CloneResult) -> None:
    per_sample = coverage(clone)
    reads = sum(clone.reads)
    if reads == 0 or not per_sample:
        return
    pairs = zip(per_sample, clone.reads, strict=False)  # imported clones may lack lengths
    overall = math.fsum(value * count for value, count in pairs) / reads  # fsum: see spikes
    if overall < W51_COVERAGE:
        clone.warnings.append(CloneWarning(W_LOW_COVERAGE, f"Low coverage: {overall:.3f}"))


def _is_dq52_j1(designation: Designation) -> bool:
    d = designation.d2 if designation.d2 is not None else designation.d
    j = designation.j
    if d is None or j is None or designation.locus != "IGH":
        return False
    spacer = designation.insertion_3 if designation.d2 is not None else designation.insertion_2
    return (
        d.gene == "IGHD7-27"
        and d.deleted_3 == 0
        and j.gene == "IGHJ1"
        and j.deleted_5 == 0
        and len(spacer) >= W61_SPACER
    )
