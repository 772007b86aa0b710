"""Vidjil's own spike-in example: our normalisation gives its `normalized_reads`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vidjil_local.results.spike_labels import labelled_spikes, normalize_labelled

DATA = Path(__file__).parents[2] / "data" / "vidjil"


def test_vidjil_spike_normalization_example_is_reproduced() -> None:
    document = json.loads((DATA / "input-spike-norm.vidjil").read_text())
    expected = json.loads((DATA / "output-spike-norm.vidjil").read_text())
    spikes, reads = labelled_spikes(document)
    assert [(s.name, s.copies) for s in spikes][:3] == [
        ("VG5_001", 10),
        ("VG5_002", 40),
        ("VG5_003", 160),
    ]
    assert sum(reads) == 18851
    assert normalize_labelled(document)
    assert len(document["clones"]) == len(expected["clones"]) == 13
    for ours, vidjil in zip(document["clones"], expected["clones"], strict=True):
        assert ours["id"] == vidjil["id"]
        assert ours["normalized_reads"] == pytest.approx(vidjil["normalized_reads"], rel=1e-12)
        assert ours["mrd"]["copy_number"][0] == pytest.approx(ours["reads"][0] * 0.0267169, 1e-5)
    assert document["mrd"]["UNI_COEFF"] == [pytest.approx(0.026716937743191924, rel=1e-12)]
    assert document["mrd"]["prevalent"] == ["IGH"]  # IGH + IGH+ reads, as Vidjil counts them


def test_a_document_without_spikes_or_with_too_few_reads_is_left_alone() -> None:
    document = json.loads((DATA / "input-spike-norm.vidjil").read_text())
    for clone in document["clones"]:
        clone.pop("label", None)
    assert not normalize_labelled(document)
    assert "mrd" not in document
    few = json.loads((DATA / "input-spike-norm.vidjil").read_text())
    for clone in few["clones"]:
        clone["reads"] = [min(clone["reads"][0], 20)]
    assert not normalize_labelled(few)  # a diagnosis sample: at most 20 reads per copy number
