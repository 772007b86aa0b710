"""The quality figures of a one-sample `.vidjil` document (the QC table's row)."""

from __future__ import annotations

from typing import Any

from vidjil_local.results import sample_quality
from vidjil_local.results.quality import LengthHistogram, SampleQuality


def _clone(clone_id: str, reads: int, locus: str = "IGH", **extra: Any) -> dict[str, Any]:
    return {"id": clone_id, "germline": locus, "reads": [reads], "top": 1, **extra}


def _document(**extra: Any) -> dict[str, Any]:
    return {
        "samples": {"number": 1, "original_names": ["s.fastq"]},
        "reads": {"total": [1200], "segmented": [1000], "germline": {"IGH": [900], "TRG": [100]}},
        "clones": [
            _clone(
                "a",
                300,
                seg={
                    "5": {"name": "IGHV3-23*01"},
                    "3": {"name": "IGHJ4*02"},
                    "junction": {"aa": "CARDYW"},
                },
            ),
            _clone("b", 50, "TRG", _average_read_length=[200.0]),
            _clone("c", 49, _average_read_length=[100.0]),
            _clone("d", 1),
            _clone("e", 0),
        ],
        **extra,
    }


def test_reads_clones_of_five_percent_and_the_main_clone() -> None:
    quality = sample_quality(_document())
    assert (quality.total_reads, quality.analysed_reads) == (1200, 1000)
    assert quality.reads_per_locus == {"IGH": 900, "TRG": 100}
    assert quality.clones == 4  # a clone of no read in this sample is not counted
    assert quality.major_clones_per_locus == {"IGH": 1, "TRG": 1}  # 49 reads: under 5%
    assert quality.main_clone is not None
    assert quality.main_clone.label == "IGHV3-23*01 CARDYW IGHJ4*02"
    assert quality.main_clone.share == 0.3
    assert quality.shared_ids == ("a", "b", "c", "d")  # 0.01% of 1000 reads: at least 0.1 read
    assert quality.mean_clone_read_length == round((50 * 200 + 49 * 100) / 99, 1)
    assert quality.diversity == {} and quality.merged_pairs is None


def test_diversity_as_vidjil_writes_it_and_the_merging_of_pairs() -> None:
    document = _document(
        diversity={
            "index_H_entropy": {"all": 3.5, "IGH": 3.1},
            "index_E_equitability": [0.7],
            "index_Ds_diversity": 0.9,
            "other": 1,
        },
    )
    document["samples"]["_merging"] = [{"pairs": 1500, "merged": 1200}]
    quality = sample_quality(document)
    assert quality.diversity == {"shannon": 3.5, "equitability": 0.7, "simpson": 0.9}
    assert quality.diversity_per_locus == {}
    assert quality.merged_pairs == (1200, 1500)


def test_diversity_as_we_write_it_per_sample_and_per_locus() -> None:
    indices = {
        "index_H_entropy": [2.5],
        "index_E_equitability": [0.3],
        "index_Ds_diversity": [0.8],
        "_index_J_pielou": [0.9],
        "_clones": [16],
    }
    per_locus = {"IGH": {**indices, "_index_J_pielou": [0.95]}, "TRG": {"_clones": [None]}}
    quality = sample_quality(_document(diversity={**indices, "_per_locus": per_locus}))
    expected = {"shannon": 2.5, "equitability": 0.3, "simpson": 0.8, "pielou": 0.9, "clones": 16}
    assert quality.diversity == expected
    # a locus without any index (TRG here) is left out
    assert quality.diversity_per_locus == {"IGH": {**expected, "pielou": 0.95}}
    assert SampleQuality.from_json(quality.to_json()) == quality


def test_an_empty_or_damaged_document_gives_empty_figures() -> None:
    quality = sample_quality({"reads": {"total": [], "segmented": "x"}, "clones": []})
    assert quality.total_reads == 0 and quality.main_clone is None and quality.clones == 0


def test_figures_survive_their_json_cache() -> None:
    quality = sample_quality(_document())
    assert SampleQuality.from_json(quality.to_json()) == quality


def test_read_lengths_in_bins() -> None:
    histogram = LengthHistogram({98: 1, 101: 2, 109: 3, 250: 4}, reads=10, complete=True)
    assert histogram.binned(10) == {90: 1, 100: 5, 250: 4}
    assert histogram.mean() == round((98 + 202 + 327 + 1000) / 10, 1)
    assert LengthHistogram({}, 0, True).mean() is None
