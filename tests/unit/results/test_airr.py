"""The AIRR TSV writer and reader, validated with the `airr` library."""

from __future__ import annotations

from pathlib import Path

import pytest

from vidjil_local.core.result import AnalysisResult
from vidjil_local.errors import InputFormatError
from vidjil_local.results import read_airr, write_airr


def test_airr_validates_and_uses_one_based_positions(
    result: AnalysisResult, tmp_path: Path
) -> None:
    import airr

    path = tmp_path / "out.tsv"
    write_airr(result, path)
    assert airr.validate_rearrangement(str(path))
    rows = list(airr.read_rearrangement(str(path)))  # base=0: back to 0-based half-open
    assert [row["duplicate_count"] for row in rows] == [503, 250, 8]
    igh = rows[0]
    sequence = igh["sequence"]
    assert igh["v_call"].split(",")[0] == "IGHV3-23*01" and igh["d_call"] == "IGHD3-10*01"
    assert igh["j_call"] == "IGHJ6*02" and igh["locus"] == "IGH"
    assert igh["productive"] is True and igh["vj_in_frame"] is True and igh["stop_codon"] is False
    assert igh["junction_aa"] == "CAKLYYGSGSYYTYYYGMDVW"
    assert sequence[igh["cdr3_start"] : igh["cdr3_end"]] == igh["cdr3"] == igh["junction"][3:-3]
    assert (igh["v_sequence_start"], igh["v_sequence_end"]) == (0, 294)
    assert sequence[igh["d_sequence_start"] : igh["d_sequence_end"]] == "TACTATGGTTCGGGGAGTTATTA"
    assert igh["np1"] == "CTC" and igh["np2"] == "CACG"
    assert rows[2]["v_call"] == "" and rows[2]["warnings"] == "W68"


def test_airr_raw_text_is_one_based(result: AnalysisResult, tmp_path: Path) -> None:
    path = tmp_path / "out.tsv"
    write_airr(result, path)
    header, first, *_ = path.read_text().splitlines()
    row = dict(zip(header.split("\t"), first.split("\t"), strict=True))
    assert row["v_sequence_start"] == "1" and row["v_sequence_end"] == "294"
    assert row["productive"] == "T" and row["rev_comp"] == "F"


def test_airr_for_one_sample_skips_absent_clones(result: AnalysisResult, tmp_path: Path) -> None:
    import airr

    path = tmp_path / "mrd.tsv"
    write_airr(result, path, sample=1)
    rows = list(airr.read_rearrangement(str(path)))
    assert [(row["locus"], row["duplicate_count"]) for row in rows] == [("IGH", 3), ("IGH", 1)]


def test_airr_round_trip(result: AnalysisResult, tmp_path: Path) -> None:
    path = tmp_path / "out.tsv"
    write_airr(result, path)
    back = read_airr(path)
    assert back.samples[0].original_name == "out.tsv"
    assert back.samples[0].reads_per_locus == {"IGH": 511, "TRG": 250}
    assert [(c.clone_id, c.reads, c.top) for c in back.clones] == [
        (result.clones[0].clone_id, [503], 1),
        (result.clones[1].clone_id, [250], 2),
        (result.clones[2].clone_id, [8], 3),
    ]
    original, copy = result.clones[0].designation, back.clones[0].designation
    assert original is not None and copy is not None
    assert (copy.junction_start, copy.junction_end) == (
        original.junction_start,
        original.junction_end,
    )
    assert copy.junction_aa == original.junction_aa and copy.productive is True
    assert copy.v is not None and original.v is not None
    assert (copy.v.name, copy.v.start, copy.v.end) == (
        original.v.name,
        original.v.start,
        original.v.end,
    )
    assert back.clones[2].designation is None
    assert [w.code for w in back.clones[2].warnings] == ["W68"]


def test_read_airr_from_another_tool(tmp_path: Path) -> None:
    """Minimal columns, several calls, consensus_count instead of duplicate_count."""
    header = (
        "sequence_id\tsequence\tv_call\tj_call\tjunction\tjunction_aa\tproductive\tconsensus_count"
    )
    rows = [
        "r1\tAATGTGCGAGATGGTTTGACTACTGGGGCC\tIGHV3-23*01,IGHV3-23D*01\tIGHJ4*02\t"
        "TGTGCGAGATGGTTTGACTACTGG\tCARWFDYW\tT\t12",
        "r2\tACGT\tTRGV9*01\t\t\t\tF\t40",
    ]
    path = tmp_path / "igblast.tsv"
    path.write_text("\n".join([header, *rows]) + "\n")
    result = read_airr(path)
    first, second = result.clones
    assert (first.clone_id, first.reads, first.top, first.locus) == ("r2", [40], 1, "TRG")
    assert second.designation is not None and second.designation.v is not None
    assert second.designation.v.equal_alleles == ("IGHV3-23D*01",)
    assert (second.designation.junction_start, second.designation.junction_end) == (2, 26)
    assert second.locus == "IGH" and second.designation.productive is True


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [(b"sequence_id\tsequence\nr1\tACGT\textra\n", "extra data", 2), (b"", "empty file", None)],
)
def test_read_airr_errors(tmp_path: Path, content: bytes, message: str, line: int | None) -> None:
    path = tmp_path / "bad.tsv"
    path.write_bytes(content)
    with pytest.raises(InputFormatError, match=message) as caught:
        read_airr(path)
    assert caught.value.line == line
    with pytest.raises(InputFormatError, match="cannot read"):
        read_airr(tmp_path / "missing.tsv")
