"""The AIRR TSV writer (validated with the `airr` library) and the reader imports go through."""

from __future__ import annotations

import gzip
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
    noise = rows[3]  # the third clone's row at diagnosis (the first clone has one per sample)
    assert noise["v_call"] == "" and noise["warnings"] == "W68"


def test_airr_of_several_samples_keeps_each_sample_s_reads(
    result: AnalysisResult, tmp_path: Path
) -> None:
    """A diagnosis and its follow-up analysed together: each clone's reads in each sample, as
    the viewer's AIRR export writes them; the file gave one row per clone with the two samples'
    reads added up (503 for a clone of 500 reads at diagnosis and 3 at follow-up)."""
    import airr

    path = tmp_path / "out.tsv"
    write_airr(result, path)
    assert airr.validate_rearrangement(str(path))
    rows = list(airr.read_rearrangement(str(path)))
    counts = [(row["repertoire_id"], row["duplicate_count"]) for row in rows]
    diagnosis, follow_up = "diag.fastq.gz", "mrd.fastq.gz"
    assert counts == [
        (diagnosis, 500),
        (follow_up, 3),
        (diagnosis, 250),
        (diagnosis, 7),
        (follow_up, 1),
    ]
    assert len({row["sequence_id"] for row in rows}) == len(rows)
    assert rows[0]["clone_id"] == rows[1]["clone_id"] == result.clones[0].clone_id


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
    """Our own TSV read back as an imported result: one clone per junction, ranked by reads."""
    path = tmp_path / "out.tsv"
    write_airr(result, path)
    back = read_airr(path)
    assert back.samples[0].original_name == "out.tsv"
    assert back.samples[0].reads_per_locus == {"IGH": 511, "TRG": 250}
    assert [(c.reads, c.top) for c in back.clones] == [([503], 1), ([250], 2), ([8], 3)]
    original, copy = result.clones[0].designation, back.clones[0].designation
    assert original is not None and copy is not None
    assert back.clones[0].clone_id == original.junction
    assert (copy.junction_start, copy.junction_end) == (
        original.junction_start,
        original.junction_end,
    )
    assert copy.junction_aa == original.junction_aa and copy.productive is True
    assert copy.v is not None and original.v is not None and copy.v.name == original.v.name
    assert back.clones[2].designation is not None and back.clones[2].designation.v is None


def test_read_airr_from_another_tool(tmp_path: Path) -> None:
    """Rows of one junction are one clone; consensus_count when there is no duplicate_count;
    the first of several calls; a gzipped file."""
    header = "sequence_id\tlocus\tsequence\tv_call\tj_call\tjunction\tjunction_aa\tproductive"
    junction = "TGTGCGAGATGGTTTGACTACTGG"
    rows = [
        f"r1\tIGH\tAATGTGCGAGATGGTTTGACTACTGGGGCC\tIGHV3-23*01,IGHV3-23D*01\tIGHJ4*02\t"
        f"{junction}\tCARWFDYW\tT\t12",
        f"r2\tIGH\tAATGTGCGAGATGGTTTGACTACTGGGGCC\tIGHV3-23*01\tIGHJ4*02\t{junction}\t"
        "CARWFDYW\tT\t30",
        "r3\tTRG\tACGT\tTRGV9*01\t\t\t\tF\t40",
    ]
    path = tmp_path / "igblast.tsv.gz"
    path.write_bytes(
        gzip.compress(("\n".join([header + "\tconsensus_count", *rows]) + "\n").encode())
    )
    result = read_airr(path, gzipped=True)
    first, second = result.clones
    assert (first.clone_id, first.reads, first.top, first.locus) == (junction, [42], 1, "IGH")
    assert (second.clone_id, second.reads, second.top, second.locus) == ("r3", [40], 2, "TRG")
    assert first.designation is not None and first.designation.v is not None
    assert first.designation.v.name == "IGHV3-23*01"
    assert (first.designation.junction_start, first.designation.junction_end) == (2, 26)
    assert first.designation.productive is True and second.designation is not None
    assert second.designation.productive is False
    assert result.samples[0].reads_per_locus == {"IGH": 42, "TRG": 40}


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        (b"sequence_id\tsequence\nr1\tACGT\n", "no locus column", 1),
        (b"", "no locus, sequence_id column", 1),
        (b"sequence_id\tlocus\tduplicate_count\nr1\tIGH\t3\nr2\tIGH\tmany\n", "'many'", 3),
    ],
)
def test_read_airr_errors(tmp_path: Path, content: bytes, message: str, line: int | None) -> None:
    path = tmp_path / "bad.tsv"
    path.write_bytes(content)
    with pytest.raises(InputFormatError, match=message) as caught:
        read_airr(path)
    assert caught.value.line == line
