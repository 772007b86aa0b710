"""The work of an `analysis` job, in the job's own child process: from its parameters and files
only (it never opens the database), analyse or import one sample and write its result files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vidjil_local.core import AnalysisResult
from vidjil_local.db.jobs import Reporter
from vidjil_local.errors import InputFormatError
from vidjil_local.germline import load_germline
from vidjil_local.pipeline import AnalysisOptions, MergeOptions, SampleInput, analyze
from vidjil_local.pipeline.spike_config import spikes_from_json
from vidjil_local.results import import_result, write_airr, write_vidjil, write_window_counts
from vidjil_local.services.analyses.configs import SPIKES_OPTION
from vidjil_local.services.analyses.params import AnalysisParams
from vidjil_local.services.confinement import check_still_inside
from vidjil_local.settings import available_cpus

MERGE_OPTIONS = ("min_overlap", "max_overlap", "max_mismatch_density", "unmerged")
MAX_BASE_NAME_BYTES = 200


def base_name(original_name: str) -> str:
    """`patient-12.fastq.gz` -> `patient-12`; never a path (a user's name stays a name), and
    short enough that `<name>.windows.tsv.gz` and a temporary `.<name>.vidjil.xxxxxxxx` fit the
    file systems' 255-byte names."""
    name = Path(original_name.replace("\\", "/")).name
    for suffix in (".gz", ".fastq", ".fq", ".fasta", ".fa", ".vidjil", ".json", ".tsv"):
        name = name.removesuffix(suffix)
    name = name.encode("utf-8")[:MAX_BASE_NAME_BYTES].decode("utf-8", "ignore")
    return name.strip(". ") or "sample"


def run_analysis(params: AnalysisParams, progress: Reporter) -> dict[str, Any]:
    """Analyse (or import) one sample, write `.vidjil` and AIRR TSV, return their summary."""
    try:
        result = _analysed(params, progress)
    except InputFormatError as error:  # name the user's file, not where the app stores it
        where = f"{error.path}:{error.line}: " if error.line is not None else f"{error.path}: "
        message = error.message.removeprefix(where)
        second = params.reads_path2 is not None and error.path == str(params.reads_path2)
        name = params.original_name2 if second else params.original_name1
        name = name or params.original_name
        raise InputFormatError(message, name, error.line) from None
    result.samples[0].original_name = params.original_name
    params.output_dir.mkdir(parents=True, exist_ok=True)
    name = base_name(params.original_name)
    write_vidjil(result, params.output_dir / f"{name}.vidjil")
    write_airr(result, params.output_dir / f"{name}.tsv")
    if params.program != "import":  # imported results do not know their small windows
        write_window_counts(result, params.output_dir / f"{name}.windows.tsv.gz")
    sample = result.samples[0]
    return {
        "reads": sample.total_reads,
        "segmented": sample.segmented_reads,
        "per_locus": sample.reads_per_locus,
        "clones": len(result.clones),
        "vidjil": f"{name}.vidjil",
        "airr": f"{name}.tsv",
        "program": params.program,
        "germline": result.germline or params.germline_name,
    }


def _analysed(params: AnalysisParams, progress: Reporter) -> AnalysisResult:
    if params.reads_root is not None:  # linked from the file source: still inside it?
        check_still_inside(
            params.reads_path, params.reads_root, params.original_name1 or params.original_name
        )
        if params.reads_path2 is not None:
            check_still_inside(params.reads_path2, params.reads_root, str(params.original_name2))
    if params.program == "import":
        return import_result(params.reads_path)
    loaded = load_germline(params.germline)
    options: dict[str, Any] = dict(params.options)  # names and types: configs.check_options
    merging = MergeOptions(**{name: options.pop(name) for name in MERGE_OPTIONS if name in options})
    spikes = spikes_from_json(options.pop(SPIKES_OPTION, []))
    sample: SampleInput = params.reads_path
    if params.reads_path2 is not None:  # paired-end: the mates are merged, then analysed
        sample = (params.reads_path, params.reads_path2)
    return analyze(
        [sample],
        loaded.germline_set,
        AnalysisOptions(
            # the job's share of the machine's cores, following it as other jobs start and end
            processes=available_cpus(),
            share=progress.cores,
            command_line=f"config {params.config_name}: {json.dumps(_shown(params.options))}",
            merging=merging,
            spikes=spikes,
            **options,
        ),
        lambda done, total: progress(done / total if total else 1.0),
        germline_label=loaded.provenance,
    )


def _shown(options: dict[str, Any]) -> dict[str, Any]:
    """The options as the result's command line shows them: spike-ins by name only."""
    if SPIKES_OPTION not in options:
        return options
    names = [str(spike.get("name")) for spike in options[SPIKES_OPTION]]
    return {**options, SPIKES_OPTION: names}
