"""The clinical measures in `.vidjil` and AIRR files: written where the client finds them, and
read back unchanged."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import pytest

from vidjil_local.core.diversity import diversity
from vidjil_local.core.result import AnalysisResult, CloneWarning, VIdentity
from vidjil_local.core.spikes import LimitOfDetection, Normalization
from vidjil_local.results import read_airr, read_vidjil, write_airr, write_vidjil


@pytest.fixture
def measured(result: AnalysisResult) -> AnalysisResult:
    """The shared two-sample result with the measures of an analysis: the follow-up normalised
    by spike-ins, the diagnosis with W20."""
    # replace(), not deepcopy: compiled frozen dataclasses cannot be deep-copied
    samples = [replace(sample) for sample in result.samples]
    clones = [replace(clone, warnings=list(clone.warnings)) for clone in result.clones]
    measured = AnalysisResult(samples, clones, result.producer, result.timestamp)
    diagnosis, follow_up = measured.samples
    diagnosis.diversity = diversity([500, 250, 7])
    diagnosis.diversity_per_locus = {"IGH": diversity([500, 7]), "TRG": diversity([250])}
    diagnosis.warnings = [CloneWarning("W20", "Very few V(D)J recombinations found: 30.00%")]
    diagnosis.limit_of_detection = LimitOfDetection(3.0, 3 / 900, "3 reads")
    follow_up.diversity = diversity([3, 1])
    follow_up.spike_reads = {"A10": 200, "A40": 800}
    follow_up.normalization = Normalization(0.05, 0.99, 1000, 1.5, "IGH")
    follow_up.limit_of_detection = LimitOfDetection(20.0, 20 / 1500, "one cell")
    measured.clones[0].v_identity = VIdentity("IGHV3-23*01", 96.5, 288, 10, 0, 6, 294)
    return measured


def test_vidjil_holds_the_measures(measured: AnalysisResult, tmp_path: Path) -> None:
    write_vidjil(measured, tmp_path / "m.vidjil")
    document = json.loads((tmp_path / "m.vidjil").read_text())
    assert document["diversity"]["index_H_entropy"] == [
        pytest.approx(diversity([500, 250, 7]).shannon),
        pytest.approx(diversity([3, 1]).shannon),
    ]
    assert document["diversity"]["_per_locus"]["TRG"]["index_Ds_diversity"] == [0.0, None]
    assert document["warn"] == [
        {
            "code": "W20",
            "level": "warn",
            "msg": "Very few V(D)J recombinations found: 30.00%",
            "_sample": 0,
        }
    ]
    assert document["mrd"]["UNI_COEFF"] == [None, 0.05]
    assert document["mrd"]["prevalent"] == [None, "IGH"]
    assert document["reads"]["_spikes"] == [0, 1000]
    assert document["samples"]["_limit_of_detection"][1] == {
        "reads": 20.0,
        "fraction": pytest.approx(20 / 1500),
        "basis": "one cell",
    }
    first = document["clones"][0]
    assert first["normalized_reads"] == [None, pytest.approx(3 * 0.05 / 100_000)]
    assert first["mrd"]["copy_number"] == [None, pytest.approx(0.15)]
    assert first["seg"]["v_identity"] == {
        "val": 96.5,
        "start": 7,
        "stop": 294,
        "info": "IGHV3-23*01",
        "compared": 288,
        "mismatches": 10,
        "gaps": 0,
    }
    length = len(first["sequence"])
    assert first["_coverage"] == [
        pytest.approx(150 / length, abs=1e-3),
        pytest.approx(149.5 / length, abs=1e-3),
    ]


def test_vidjil_measures_round_trip(measured: AnalysisResult, tmp_path: Path) -> None:
    write_vidjil(measured, tmp_path / "m.vidjil")
    back = read_vidjil(tmp_path / "m.vidjil")
    for original, copy_back in zip(measured.samples, back.samples, strict=True):
        assert copy_back.warnings == original.warnings
        assert copy_back.limit_of_detection == original.limit_of_detection
        assert copy_back.normalization == original.normalization
        assert copy_back.spike_reads == original.spike_reads
        if original.diversity is not None:
            assert copy_back.diversity is not None
            assert copy_back.diversity.shannon == pytest.approx(original.diversity.shannon)
            assert copy_back.diversity.clones == original.diversity.clones
    assert back.clones[0].v_identity == measured.clones[0].v_identity
    write_vidjil(back, tmp_path / "again.vidjil")
    first = json.loads((tmp_path / "m.vidjil").read_text())
    again = json.loads((tmp_path / "again.vidjil").read_text())
    assert again["mrd"] == first["mrd"] and again["warn"] == first["warn"]


def test_airr_v_identity_is_a_fraction(measured: AnalysisResult, tmp_path: Path) -> None:
    write_airr(measured, tmp_path / "m.tsv", sample=0)
    with open(tmp_path / "m.tsv", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert rows[0]["v_identity"] == "0.965" and rows[1]["v_identity"] == ""
    back = read_airr(tmp_path / "m.tsv")
    assert back.clones[0].v_identity is not None
    assert back.clones[0].v_identity.percent == pytest.approx(96.5)
