"""The multi-sample fuse and the clone list, as pure functions over `.vidjil` documents."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from vidjil_local.errors import UsageError
from vidjil_local.results.analysis_file import check_analysis
from vidjil_local.results.fuse import FusedSample, fuse, fused_clusters
from vidjil_local.services.results.clone_lists import (
    CloneQuery,
    ResultFileCache,
    list_clones,
    parse_result,
)


def clone(clone_id: str, reads: int, top: int, locus: str = "IGH") -> dict[str, Any]:
    return {"id": clone_id, "germline": locus, "reads": [reads], "top": top, "sequence": clone_id}


def document(name: str, clones: list[dict[str, Any]], loci: dict[str, int]) -> dict[str, Any]:
    return {
        "vidjil_json_version": "2016b",
        "samples": {"number": 1, "original_names": [name], "timestamp": ["2026-01-01 10:00:00"]},
        "reads": {
            "total": [1000],
            "segmented": [sum(loci.values())],
            "germline": {locus: [count] for locus, count in loci.items()},
        },
        "clones": clones,
    }


def labels(count: int) -> list[FusedSample]:
    dates = ["2026-01-05", None, "2026-06-01"]
    return [
        FusedSample(sample_id=10 + n, name=f"sample {n}", sampling_date=dates[n], result_id=n)
        for n in range(count)
    ]


def test_clones_are_matched_by_id_and_get_a_read_count_per_sample() -> None:
    diagnosis = document(
        "diag.fq", [clone("AAA", 600, 1), clone("CCC", 40, 2)], {"IGH": 640, "TRG": 10}
    )
    follow_up = document("fu.fq", [clone("GGG", 90, 1), clone("AAA", 60, 2)], {"IGH": 150})
    fused = fuse([diagnosis, follow_up], labels(2), timestamp="now")
    assert [(c["id"], c["reads"], c["top"]) for c in fused["clones"]] == [
        ("AAA", [600, 60], 1),
        ("GGG", [0, 90], 1),
        ("CCC", [40, 0], 2),
    ]
    assert fused["samples"]["number"] == 2
    assert fused["samples"]["original_names"] == ["diag.fq", "fu.fq"]
    assert fused["samples"]["names"] == ["sample 0", "sample 1"]
    assert fused["samples"]["ids"] == [10, 11]
    assert fused["samples"]["timestamp"] == ["2026-01-05", "2026-01-01 10:00:00"]
    assert fused["reads"]["segmented"] == [650, 150]
    assert fused["reads"]["germline"] == {"IGH": [640, 150], "TRG": [10, 0]}


def test_a_clone_in_the_top_of_one_sample_keeps_its_reads_in_the_others() -> None:
    first = document("a", [clone("AAA", 500, 1), clone("TTT", 1, 101)], {"IGH": 501})
    second = document("b", [clone("TTT", 300, 1), clone("AAA", 2, 150)], {"IGH": 302})
    third = document("c", [clone("CCC", 3, 120)], {"IGH": 3})
    fused = fuse([first, second, third], labels(3), top=100)
    reads = {c["id"]: c["reads"] for c in fused["clones"]}
    assert reads == {"AAA": [500, 2, 0], "TTT": [1, 300, 0]}  # CCC is in no top 100


def test_fields_come_from_the_sample_where_the_clone_is_largest() -> None:
    small = {**clone("AAA", 5, 1), "name": "from the small sample", "_average_read_length": [90]}
    large = {**clone("AAA", 500, 1), "name": "from the large sample"}
    fused = fuse([document("a", [small], {}), document("b", [large], {})], labels(2))
    (only,) = fused["clones"]
    assert only["name"] == "from the large sample"
    assert only["_average_read_length"] == [90.0, 0.0]


def test_labels_must_name_every_sample() -> None:
    with pytest.raises(ValueError, match="1 sample labels for 2 samples"):
        fuse([document("a", [], {}), document("b", [], {})], labels(1))


def listed() -> list[dict[str, Any]]:
    productive = {"junction": {"aa": "CASSLGF", "productive": True}, "cdr3": {"aa": "ASSLG"}}
    unproductive = {"junction": {"aa": "CAR*W", "productive": False}, "5": {"name": "IGHV3-23*01"}}
    return [
        {**clone("W1", 50, 2, "TRB"), "seg": productive, "name": "TRBV5-1 1/GG/2 TRBJ2-7"},
        {**clone("W2", 900, 1, "IGH"), "seg": unproductive},
        {**clone("W3", 7, 3, "IGH"), "sequence": "ACGTTTTGCA"},
    ]


def test_the_clone_list_filters_sorts_and_pages() -> None:
    parsed = parse_result(document("s", listed(), {"IGH": 907, "TRB": 50}))
    everything = list_clones(parsed, CloneQuery())
    assert [c.id for c in everything.clones] == ["W2", "W1", "W3"] and everything.total == 3
    assert everything.segmented == [957] and everything.samples == ["s"]
    by_top = [c.id for c in list_clones(parsed, CloneQuery(sort="top")).clones]
    assert by_top == ["W2", "W1", "W3"]
    assert [c.id for c in list_clones(parsed, CloneQuery(locus="IGH")).clones] == ["W2", "W3"]
    productive = list_clones(parsed, CloneQuery(productive=True)).clones
    assert [c.id for c in productive] == ["W1"] and productive[0].cdr3_aa == "ASSLG"
    assert list_clones(parsed, CloneQuery(productive=False)).clones[0].v_call == "IGHV3-23*01"
    assert [c.id for c in list_clones(parsed, CloneQuery(search="cassl")).clones] == ["W1"]
    assert [c.id for c in list_clones(parsed, CloneQuery(search="TTTTG")).clones] == ["W3"]
    assert [c.id for c in list_clones(parsed, CloneQuery(search="trbv5")).clones] == ["W1"]
    page = list_clones(parsed, CloneQuery(limit=1, offset=1, sort="reads"))
    assert [c.id for c in page.clones] == ["W1"] and page.total == 3


def test_the_clone_list_refuses_an_unknown_sort() -> None:
    parsed = parse_result(document("s", listed(), {}))
    with pytest.raises(UsageError, match="sort must be one of"):
        list_clones(parsed, CloneQuery(sort="-password"))


def test_parsed_files_are_cached_until_they_change(tmp_path: Path) -> None:
    path = tmp_path / "r.vidjil"
    path.write_text(json.dumps(document("s", listed(), {})))
    cache = ResultFileCache(capacity=2)
    assert cache.get(path) is cache.get(path) and cache.parses == 1
    path.write_text(json.dumps(document("s", listed()[:1], {})))
    os.utime(path, ns=(1, 1))  # a new modification time, whatever the clock's resolution
    assert len(cache.get(path).clones) == 1 and cache.parses == 2


def test_an_analysis_with_wrong_types_is_refused() -> None:
    assert check_analysis({"clones": [{"id": "W1", "tag": 3}], "tags": {}})
    with pytest.raises(UsageError, match="clusters: Input should be a valid list"):
        check_analysis({"clusters": "W1,W2"})
    with pytest.raises(UsageError, match="clusters: Input should be a valid list"):
        check_analysis({"clusters": None})
    with pytest.raises(UsageError, match=r"clones\.0\.id: Field required") as caught:
        check_analysis({"clones": [{"name": "no id"}]})
    assert caught.value.details["fields"] == [{"field": "clones.0.id", "problem": "Field required"}]
    with pytest.raises(UsageError, match=r"clones\.1\.id: Input should be a valid string"):
        check_analysis({"clones": [{"id": "W1"}, {"id": 3}]})


def test_damaged_per_sample_lists_keep_every_sample_in_place() -> None:
    short = {**clone("AAA", 5, 1), "reads": [], "_average_read_length": [80.0, 90.0]}
    fused = fuse([document("a", [short], {}), document("b", [clone("AAA", 9, 1)], {})], labels(2))
    (only,) = fused["clones"]
    assert only["reads"] == [0, 9] and only["_average_read_length"] == [80.0, 0.0]


def test_the_clusters_of_imported_files_are_joined_over_the_clones_the_fuse_keeps() -> None:
    documents: list[dict[str, Any]] = [
        {"clusters": [["A", "B"], ["C", "gone"]]},
        {"clusters": [["B", "D"], "not a cluster", [["nested"], "E"], ["E", "F"]]},
        {},
    ]
    # clusters sharing a clone become one, headed by the first met; what then merges
    # nothing (one kept clone) is left out
    assert fused_clusters(documents, {"A", "B", "C", "D", "E"}) == [["A", "B", "D"]]
    assert fused_clusters(documents, {"E", "F"}) == [["E", "F"]]
