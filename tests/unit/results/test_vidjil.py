"""The `.vidjil` writer and reader: the fields Vidjil's client needs, positions, round trips."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vidjil_local.core.designation import Designer
from vidjil_local.core.genes import GermlineSet
from vidjil_local.core.merge_stats import MergeStatistics
from vidjil_local.core.merging import MergeFailure
from vidjil_local.core.result import AnalysisResult, CloneResult, SampleResult
from vidjil_local.errors import InputFormatError
from vidjil_local.results import read_vidjil, write_airr, write_vidjil

FIXTURES = Path(__file__).parents[2] / "data" / "vidjil"


def test_vidjil_has_the_fields_the_client_needs(result: AnalysisResult, tmp_path: Path) -> None:
    path = tmp_path / "out.vidjil"
    write_vidjil(result, path)
    document = json.loads(path.read_text())
    assert document["vidjil_json_version"] == "2016b"
    assert document["samples"]["number"] == 2
    assert document["samples"]["original_names"] == ["diag.fastq.gz", "mrd.fastq.gz"]
    assert document["reads"]["segmented"] == [900, 1500]
    assert document["reads"]["total"] == [1000, 2000]
    assert document["reads"]["germline"] == {"IGH": [600, 0], "TRG": [300, 0]}
    assert "UNSEG too short" in document["samples"]["log"][0]
    for clone in document["clones"]:
        assert {"id", "sequence", "reads", "germline", "top"} <= clone.keys()
        assert len(clone["reads"]) == 2
    assert len({clone["id"] for clone in document["clones"]}) == 3
    assert not list(tmp_path.glob(".out.vidjil.*"))  # no temporary file left


def test_vidjil_seg_positions_are_one_based_inclusive(
    result: AnalysisResult, tmp_path: Path
) -> None:
    path = tmp_path / "out.vidjil"
    write_vidjil(result, path)
    igh = json.loads(path.read_text())["clones"][0]
    sequence, seg = igh["sequence"], igh["seg"]
    assert igh["name"] == "IGHV3-23*01 2/CTC/4 IGHD3-10*01 4/CACG/8 IGHJ6*02"
    assert seg["5"] == {"name": "IGHV3-23*01", "start": 1, "stop": 294, "delRight": 2}
    assert seg["4"] == {
        "name": "IGHD3-10*01",
        "start": 298,
        "stop": 320,
        "delLeft": 4,
        "delRight": 4,
    }
    assert seg["3"]["delLeft"] == 8 and seg["3"]["stop"] == len(sequence)
    junction = sequence[seg["junction"]["start"] - 1 : seg["junction"]["stop"]]
    assert junction.startswith("TGT") and junction.endswith("TGG")
    assert seg["junction"]["aa"] == "CAKLYYGSGSYYTYYYGMDVW"
    assert seg["junction"]["productive"] is True
    cdr3 = sequence[seg["cdr3"]["start"] - 1 : seg["cdr3"]["stop"]]
    assert cdr3 == junction[3:-3] and seg["cdr3"]["aa"] == "AKLYYGSGSYYTYYYGMDV"
    assert [w["code"] for w in igh["warn"]] == ["W50"]


def test_undesignated_clone_carries_w68(result: AnalysisResult, tmp_path: Path) -> None:
    path = tmp_path / "out.vidjil"
    write_vidjil(result, path)
    noise = json.loads(path.read_text())["clones"][2]
    assert "name" not in noise and "seg" not in noise
    assert [w["code"] for w in noise["warn"]] == ["W68"]


def test_vidjil_round_trip(result: AnalysisResult, tmp_path: Path) -> None:
    path = tmp_path / "out.vidjil"
    write_vidjil(result, path)
    back = read_vidjil(path)
    assert [s.original_name for s in back.samples] == ["diag.fastq.gz", "mrd.fastq.gz"]
    assert back.samples[0].unsegmented == {"too_short": 60, "only_v": 40}
    assert back.samples[0].reads_per_locus == {"IGH": 600, "TRG": 300}
    assert back.samples[0].command_line == "vidjil-local analyze diag.fastq.gz"
    for original, copy in zip(result.clones, back.clones, strict=True):
        assert (copy.clone_id, copy.reads, copy.top) == (
            original.clone_id,
            original.reads,
            original.top,
        )
        assert copy.window_start == original.window_start
        assert copy.name == original.name
        assert [w.code for w in copy.all_warnings()] == [w.code for w in original.all_warnings()]
    designed, copied = result.clones[0].designation, back.clones[0].designation
    assert designed is not None and copied is not None
    for field in ("junction_start", "junction_end", "junction", "junction_aa", "productive"):
        assert getattr(copied, field) == getattr(designed, field)
    assert (copied.insertion_1, copied.insertion_2) == ("CTC", "CACG")
    assert copied.v is not None and designed.v is not None
    assert (copied.v.start, copied.v.end) == (designed.v.start, designed.v.end)


@pytest.mark.parametrize("name", ["one-sample.vidjil", "two-samples-mrd.vidjil"])
def test_read_hand_written_fixtures(name: str) -> None:
    document: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    read = read_vidjil(FIXTURES / name)
    assert len(read.samples) == document["samples"]["number"]
    assert [c.clone_id for c in read.clones] == [c["id"] for c in document["clones"]]
    for clone in read.clones:
        assert clone.designation is None or clone.designation.locus == clone.locus
        if clone.designation is not None and clone.designation.has_junction:
            codons = -(-len(clone.designation.junction) // 3)  # an incomplete one shows as "#"
            assert len(clone.designation.junction_aa) == codons


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not JSON"),
        ('{"vidjil_json_version": "2013"}', "unsupported"),
        ('{"vidjil_json_version": "2016b", "samples": {}}', "samples.original_names: None is"),
        ("[1]", "not a .vidjil"),
    ],
)
def test_read_vidjil_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.vidjil"
    path.write_text(content)
    with pytest.raises(InputFormatError, match=message):
        read_vidjil(path)


def test_failed_write_keeps_the_old_file(result: AnalysisResult, tmp_path: Path) -> None:
    path = tmp_path / "out.vidjil"
    path.write_text("old")
    unserializable: list[float] = [object()]  # type: ignore[list-item]
    broken_clone = CloneResult("w", "IGH", [1, 1], "ACGT", 1, average_read_length=unserializable)
    broken = AnalysisResult(result.samples, [*result.clones, broken_clone])
    with pytest.raises(TypeError):
        write_vidjil(broken, path)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.vidjil"]


def test_read_legacy_vidjil_algo_output(tmp_path: Path) -> None:
    """Older vidjil-algo files: seg genes as plain names, 0 for a missing sequence."""
    document = {
        "vidjil_json_version": "2014.10",
        "samples": {"number": 1, "original_names": ["old.fa"]},
        "reads": {"total": [20], "segmented": [12], "germline": {"TRG": [12]}},
        "clones": [
            {
                "id": "ACGT" * 10,
                "germline": "TRG",
                "top": 1,
                "reads": [12],
                "sequence": 0,
                "seg": {"5": "TRGV9*01", "3": "TRGJ1*02"},
            }
        ],
    }
    path = tmp_path / "old.vidjil"
    path.write_text(json.dumps(document))
    clone = read_vidjil(path).clones[0]
    assert clone.sequence == "" and clone.window_start == -1
    assert clone.designation is not None and not clone.designation.has_junction
    assert clone.name == "TRGV9*01 0//0 TRGJ1*02"


def test_second_d_gene_in_both_formats(tmp_path: Path, trd_vddj: tuple[GermlineSet, str]) -> None:
    import airr

    germline_set, sequence = trd_vddj
    designation = Designer(germline_set).designate(sequence, "TRD")
    clone = CloneResult("w", "TRD", [10], sequence, 1, designation=designation)
    result = AnalysisResult([SampleResult("s.fastq", 10, 10, {"TRD": 10})], [clone])
    write_vidjil(result, tmp_path / "out.vidjil")
    seg = json.loads((tmp_path / "out.vidjil").read_text())["clones"][0]["seg"]
    assert seg["4"]["name"] == "TRDD2*01" and seg["4b"]["name"] == "TRDD3*01"
    assert seg["4b"] == {"name": "TRDD3*01", "start": 299, "stop": 307, "delLeft": 2, "delRight": 2}
    back = read_vidjil(tmp_path / "out.vidjil").clones[0]
    assert back.name == clone.name
    write_airr(result, tmp_path / "out.tsv")
    row = next(iter(airr.read_rearrangement(str(tmp_path / "out.tsv"))))
    assert (row["d_call"], row["d2_call"], row["np3"]) == ("TRDD2*01", "TRDD3*01", "TTG")
    assert (row["d2_sequence_start"], row["d2_sequence_end"]) == (298, 307)


def test_merge_statistics_round_trip(result: AnalysisResult, tmp_path: Path) -> None:
    """`samples._merging`: per sample, null or the merge statistics of a paired sample."""
    merging = MergeStatistics()
    merging.pairs, merging.merged, merging.kept = 1000, 940, 60
    merging.failures[MergeFailure.NO_OVERLAP] = 55
    merging.failures[MergeFailure.AMBIGUOUS] = 5
    merging.staggered, merging.mismatches, merging.overlaps = 3, 120, {50: 900, 12: 40}
    result.samples[1].merging = merging
    result.samples[1].unmerged_reads = "r1"
    path = tmp_path / "paired.vidjil"
    write_vidjil(result, path)
    document = json.loads(path.read_text())
    entry = document["samples"]["_merging"]
    assert entry[0] is None
    assert entry[1]["unmerged"] == {"no_overlap": 55, "ambiguous": 5}
    assert entry[1]["overlap_lengths"] == {"12": 40, "50": 900}
    back = read_vidjil(path).samples
    assert back[0].merging is None
    copied = back[1].merging
    assert copied is not None and back[1].unmerged_reads == "r1"
    for name in ("pairs", "merged", "failures", "kept", "staggered", "mismatches", "overlaps"):
        assert getattr(copied, name) == getattr(merging, name), name
    single = tmp_path / "single.vidjil"
    result.samples[1].merging = None
    write_vidjil(result, single)
    assert "_merging" not in json.loads(single.read_text())["samples"]
