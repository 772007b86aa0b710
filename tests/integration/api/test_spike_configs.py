"""Spike-ins in an analysis config: an administrator gives them (our list, or Vidjil's label file
as imported on the configs page), the server checks them, and an analysis with that config sets
the spike-ins apart and normalises the sample."""

from __future__ import annotations

import json
from pathlib import Path

from tests.integration.api.conftest import Api
from tests.repertoire import LEUKEMIC_COPIES, spiked_follow_up
from vidjil_local.germline import load_germline
from vidjil_local.services.analyses.params import AnalysisParams
from vidjil_local.services.analyses.work import run_analysis
from vidjil_local.settings import Settings

SPIKE = "ACGT" * 20


class SilentReporter:
    """The job's `Reporter` as the child process gives it: progress unheard, two cores."""

    def __call__(self, fraction: float) -> None:
        pass

    def cores(self) -> int:
        return 2


def test_a_config_takes_vidjil_s_label_file_and_stores_our_list(admin_api: Api) -> None:
    labels = {"config": {"labels": [{"name": "S1", "sequence": SPIKE.lower(), "copies": "40"}]}}
    body = {"name": "IGH spiked", "germline": "human:IGH", "options": {"spikes": labels}}
    created = admin_api.post("/api/configs", json=body)
    assert created.status_code == 201, created.text
    stored = created.json()["options"]["spikes"]
    assert stored == [{"name": "S1", "sequence": SPIKE, "copies": 40.0, "family": ""}]


def test_bad_spike_ins_are_refused_with_their_reason(admin_api: Api) -> None:
    cases = [
        ({"spikes": "S1"}, "must be a list"),
        ({"spikes": [{"name": "S1", "sequence": "ACGT", "copies": 4}]}, "at least 60 nt"),
        ({"spikes": [{"name": "S1", "sequence": SPIKE, "copies": 0}]}, "positive number"),
        ({"spikes": [{"name": "S", "sequence": SPIKE, "copies": 1}] * 2}, "same name"),
        ({"dna_cells": 0}, "at least 1"),
    ]
    for options, message in cases:
        response = admin_api.post("/api/configs", json={"name": "x", "options": options})
        assert response.status_code == 400, (options, response.text)
        assert message in response.json()["error"]["message"]


def test_an_analysis_with_a_spiked_config_normalises_the_sample(
    admin_api: Api, settings: Settings, tmp_path: Path
) -> None:
    igh = load_germline("human:IGH").germline_set
    spikes, leukemic = spiked_follow_up(igh, tmp_path / "fu.fastq.gz")
    listed = [{"name": s.name, "sequence": s.sequence, "copies": s.copies} for s in spikes]
    body = {"name": "IGH spiked", "germline": "human:IGH", "options": {"spikes": listed}}
    config = admin_api.post("/api/configs", json=body).json()
    params = AnalysisParams(
        sample_id=1,
        config_id=config["id"],
        config_name=config["name"],
        program="vidjil-local",
        germline="human:IGH",
        germline_name="human:IGH",
        options=config["options"],
        reads_path=tmp_path / "fu.fastq.gz",
        original_name="fu.fastq.gz",
        folder="1/run",
        output_dir=settings.results_dir / "1/run",
        results_dir=settings.results_dir,
    )
    summary = run_analysis(params, SilentReporter())

    document = json.loads((params.output_dir / summary["vidjil"]).read_text())
    assert not [c for c in document["clones"] if any(c["id"] in s.sequence for s in spikes)]
    (clone,) = [c for c in document["clones"] if c["id"] in leukemic]
    copies = clone["normalized_reads"][0] * document["mrd"]["_dna_cells"][0]
    assert abs(copies - LEUKEMIC_COPIES) <= 0.10 * LEUKEMIC_COPIES
    assert "A10" in document["samples"]["commandline"][0]  # spike-ins named, not spelt out
    assert spikes[0].sequence not in document["samples"]["commandline"][0]
