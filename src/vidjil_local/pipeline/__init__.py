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

__all__ = [
    "AnalysisCancelled",
    "AnalysisOptions",
    "DetectionSettings",
    "ParallelRunner",
    "SerialRunner",
    "analyze",
    "default_processes",
    "make_runner",
]
