"""The clonotyping core: pure, typed, compiled with mypyc when a C compiler is available.

Nothing here does I/O or imports anything outside `vidjil_local.core` and the standard library.
The public names are re-exported here; everything else in `core/` is private.
"""

from vidjil_local.core._build import is_compiled
from vidjil_local.core.designation import Designer
from vidjil_local.core.diversity import Diversity, diversity
from vidjil_local.core.genes import Gene, GermlineSet, Locus
from vidjil_local.core.identity import IdentityMeter
from vidjil_local.core.markers import WindowReads, marker_reads
from vidjil_local.core.merge_stats import MergeStatistics, Unmerged
from vidjil_local.core.merging import MergeFailure, PairMerger
from vidjil_local.core.result import (
    AnalysisResult,
    CloneResult,
    CloneWarning,
    Designation,
    SampleResult,
    SegmentMatch,
    VIdentity,
)
from vidjil_local.core.spikes import LimitOfDetection, Normalization, Spike

__all__ = [
    "AnalysisResult",
    "CloneResult",
    "CloneWarning",
    "Designation",
    "Designer",
    "Diversity",
    "Gene",
    "GermlineSet",
    "IdentityMeter",
    "LimitOfDetection",
    "Locus",
    "MergeFailure",
    "MergeStatistics",
    "Normalization",
    "PairMerger",
    "SampleResult",
    "SegmentMatch",
    "Spike",
    "Unmerged",
    "VIdentity",
    "WindowReads",
    "diversity",
    "is_compiled",
    "marker_reads",
]
