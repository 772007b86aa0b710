"""The fused time course: markers counted from window counts down to one read, detection
against the limits of detection, W81/W82, per-sample measures following the samples."""

from __future__ import annotations

from typing import Any

import pytest

from vidjil_local.core.markers import WindowReads
from vidjil_local.results import FusedSample, fuse

LEUKEMIC = "ACGT" * 15
OTHER = "TTGCA" * 12


def clone(clone_id: str, reads: int, top: int, v: str = "IGHV1-2*02") -> dict[str, Any]:
    seg = {"5": {"name": v}, "3": {"name": "IGHJ4*02"}, "junction": {"productive": True}}
    return {"id": clone_id, "germline": "IGH", "reads": [reads], "top": top, "seg": seg}


def sample(name: str, clones: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    segmented = sum(c["reads"][0] for c in clones) + 1000
    return {
        "vidjil_json_version": "2016b",
        "samples": {"number": 1, "original_names": [name], **extra.pop("samples", {})},
        "reads": {"total": [segmented], "segmented": [segmented], "germline": {"IGH": [segmented]}},
        "clones": clones,
        **extra,
    }


def labels(count: int) -> list[FusedSample]:
    return [FusedSample(sample_id=n, name=f"s{n}") for n in range(count)]


def leukemic(fused: dict[str, Any]) -> dict[str, Any]:
    (found,) = [c for c in fused["clones"] if c["id"] == LEUKEMIC]
    clone_found: dict[str, Any] = found
    return clone_found


def test_a_clone_under_the_follow_ups_thresholds_is_counted_from_its_windows() -> None:
    diagnosis = sample("diag", [clone(LEUKEMIC, 600, 1)])
    follow_up = sample("fu", [clone(OTHER, 90, 1)])
    windows: WindowReads = {LEUKEMIC: ("IGH", 3), OTHER: ("IGH", 90)}
    fused = fuse([diagnosis, follow_up], labels(2), window_counts=[None, [windows]])
    found = leukemic(fused)
    assert found["reads"] == [600, 3]
    assert found["_below_threshold"] == [False, True]
    assert found["_detection"] == ["detected", "detected"]  # 3 reads: the default limit
    assert fused["samples"]["_window_counts"] == [False, True]
    other = next(c for c in fused["clones"] if c["id"] == OTHER)
    assert other["reads"] == [0, 90] and other["_detection"] == ["unknown", "detected"]


def test_detection_follows_each_samples_limit_of_detection() -> None:
    limit = {"reads": 20.0, "fraction": 0.01, "basis": "one cell"}
    diagnosis = sample("diag", [clone(LEUKEMIC, 600, 1)])
    follow_ups = [
        sample(f"fu{n}", [clone(OTHER, 90, 1)], samples={"_limit_of_detection": [limit]})
        for n in range(3)
    ]
    counts: list[list[WindowReads] | None] = [
        None,
        [{LEUKEMIC: ("IGH", 40)}],
        [{LEUKEMIC: ("IGH", 2)}],
        [{}],
    ]
    fused = fuse([diagnosis, *follow_ups], labels(4), window_counts=counts)
    found = leukemic(fused)
    assert found["reads"] == [600, 40, 2, 0]
    assert found["_detection"] == ["detected", "detected", "below_lod", "not_detected"]
    assert fused["samples"]["_limit_of_detection"] == [None, limit, limit, limit]


def test_counts_from_windows_are_normalised_in_normalised_samples() -> None:
    mrd = {"UNI_COEFF": [0.05], "UNI_R2": [0.99], "_dna_cells": [100_000], "prevalent": ["IGH"]}
    diagnosis = sample("diag", [{**clone(LEUKEMIC, 600, 1), "normalized_reads": [None]}])
    follow_up = sample("fu", [{**clone(OTHER, 90, 1), "normalized_reads": [4.5e-5]}], mrd=mrd)
    fused = fuse([diagnosis, follow_up], labels(2), window_counts=[None, [{LEUKEMIC: ("IGH", 4)}]])
    assert leukemic(fused)["normalized_reads"] == [None, pytest.approx(4 * 0.05 / 100_000)]
    assert fused["mrd"]["UNI_COEFF"] == [None, 0.05]
    assert fused["mrd"]["coefficients"] == {"UNI": [None, 0.05]}


def test_w81_and_w82_when_samples_designate_a_clone_differently() -> None:
    first = sample("a", [clone(LEUKEMIC, 600, 1)])
    other_gene = sample("b", [clone(LEUKEMIC, 60, 1, v="IGHV3-23*01")])
    unproductive = clone(LEUKEMIC, 6, 1)
    unproductive["seg"]["junction"] = {"productive": False}
    third = sample("c", [unproductive])
    fused = fuse([first, other_gene, third], labels(3))
    warnings = {w["code"]: w["msg"] for w in leukemic(fused)["warn"]}
    assert set(warnings) == {"W81", "W82"}
    assert "IGHV1-2 IGHJ4, IGHV3-23 IGHJ4" in warnings["W81"]
    alone = fuse([first, sample("d", [clone(LEUKEMIC, 5, 1)])], labels(2))
    assert "warn" not in leukemic(alone)


def test_per_sample_measures_follow_the_samples() -> None:
    algo = sample("algo", [clone(LEUKEMIC, 600, 1)], diversity={"index_H_entropy": 2.5})
    ours = sample(
        "ours",
        [clone(OTHER, 90, 1)],
        diversity={"index_H_entropy": [1.5], "_per_locus": {"IGH": {"index_H_entropy": [1.5]}}},
        warn=[{"code": "W20", "level": "warn", "msg": "few", "_sample": 0}],
    )
    fused = fuse([algo, ours], labels(2))
    assert fused["diversity"]["index_H_entropy"] == [2.5, 1.5]
    assert fused["diversity"]["_per_locus"]["IGH"]["index_H_entropy"] == [None, 1.5]
    assert fused["warn"] == [{"code": "W20", "level": "warn", "msg": "few", "_sample": 1}]
