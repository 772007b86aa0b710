"""A `.vidjil` of several samples read as one result per sample (files written by Vidjil)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vidjil_local.errors import InputFormatError
from vidjil_local.results import import_result, import_samples

VIDJIL = Path(__file__).parents[2] / "data" / "vidjil"


def test_each_sample_of_a_fused_file_keeps_its_statistics_and_its_clones() -> None:
    document = json.loads((VIDJIL / "fused_multiple.vidjil").read_text())
    results = import_samples(VIDJIL / "fused_multiple.vidjil")
    assert [r.samples[0].original_name for r in results] == document["samples"]["original_names"]
    for index, result in enumerate(results):
        sample = result.samples[0]
        assert sample.total_reads == document["reads"]["total"][index]
        assert sample.segmented_reads == document["reads"]["segmented"][index]
        per_locus = {
            locus: counts[index] for locus, counts in document["reads"]["germline"].items()
        }
        assert sample.reads_per_locus == per_locus
        present = [c for c in document["clones"] if c["reads"][index] > 0]
        assert [(c.clone_id, c.reads) for c in result.clones] == [
            (c["id"], [c["reads"][index]]) for c in present
        ]
        assert [c.average_read_length for c in result.clones] == [
            [c["_average_read_length"][index]] for c in present
        ]
        ranks = sorted(result.clones, key=lambda clone: clone.top)
        assert [c.top for c in ranks] == list(range(1, len(ranks) + 1))
        assert [c.reads[0] for c in ranks] == sorted((c.reads[0] for c in ranks), reverse=True)
        assert sample.diversity is not None
        shannon = document["diversity"]["index_H_entropy"][index]
        assert sample.diversity.shannon == pytest.approx(shannon)


def test_clones_with_fewer_counts_than_samples_have_none_in_the_others() -> None:
    document = json.loads((VIDJIL / "analysis-example.vidjil").read_text())
    first, second = import_samples(VIDJIL / "analysis-example.vidjil")
    assert (first.samples[0].total_reads, second.samples[0].total_reads) == (786861, 200)
    assert first.timestamp == second.timestamp == "2014-12-04 15:30:05"  # a list of one there
    seen = [c["id"] for c in document["clones"] if c["reads"][0] > 0]
    assert len(seen) == 98  # of 99: one clone has no read
    assert [c.clone_id for c in first.clones] == seen and second.clones == []


def test_more_counts_than_samples_is_refused_naming_the_clone(tmp_path: Path) -> None:
    document = json.loads((VIDJIL / "fused_multiple.vidjil").read_text())
    document["clones"][2]["reads"].append(7)
    path = tmp_path / "x.vidjil"
    path.write_text(json.dumps(document))
    with pytest.raises(InputFormatError, match=r"clones\[2\]\.reads: 4 read counts for 3"):
        import_samples(path)


def test_one_result_is_asked_for_a_file_of_several_samples() -> None:
    with pytest.raises(InputFormatError, match="must hold one sample, not 3"):
        import_result(VIDJIL / "fused_multiple.vidjil")


def test_names_tags_and_clusters_a_vidjil_user_gave_are_read_and_kept_by_each_sample() -> None:
    path = VIDJIL / "named_tagged_clustered.vidjil"
    document = json.loads(path.read_text())
    leukemic, subclone, spike, plain = (clone["id"] for clone in document["clones"])
    results = import_samples(path)
    first, _, last = results
    assert {c.clone_id: (c.name, c.tag) for c in first.clones} == {
        leukemic: ("leukemic clone P07", 0),
        spike: ("IGH spike", 6),
        plain: ("IGHV1-2*02 IGHJ6*02", None),
    }
    assert {c.clone_id: c.tag for c in last.clones}[subclone] == 1  # "1" in the file
    # whole in every sample (the fuse joins them); a cluster of one clone merges nothing
    expected = [[leukemic, subclone], [spike, "TTTTTTTTTT-not-a-clone"]]
    assert all(result.clusters == expected for result in results)
