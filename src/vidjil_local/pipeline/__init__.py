"""Pipeline: wire reads -> core detection/clustering -> designated results, serial or parallel."""

from vidjil_local.pipeline.analysis import AnalysisOptions, analyze
from vidjil_local.pipeline.runners import (
    AnalysisCancelled,
    DetectionSettings,
    ParallelRunner,
    SerialRunner,
    default_processes,
    make_runner,
)
from vidjil_local.pipeline.units import UNMERGED_CHOICES, MergeOptions, SampleInput

__all__ = [
    "UNMERGED_CHOICES",
    "AnalysisCancelled",
    "AnalysisOptions",
    "DetectionSettings",
    "MergeOptions",
    "ParallelRunner",
    "SampleInput",
    "SerialRunner",
    "analyze",
    "default_processes",
    "make_runner",
]
