"""Paired files (iter_pairs, check_pair, mate_id) and the upload check (check_reads_file)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from vidjil_local.errors import InputFormatError
from vidjil_local.reads import (
    ReadsFileInfo,
    check_pair,
    check_reads_file,
    iter_chunks,
    iter_pairs,
    mate_id,
)


def fastq(names: list[str], sequence: str = "ACGT") -> bytes:
    quality = "I" * len(sequence)
    return "".join(f"@{name}\n{sequence}\n+\n{quality}\n" for name in names).encode()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("r1", "r1"),
        ("r1/1", "r1/2"),
        ("M01:5:1101:1:2 1:N:0:ACGT", "M01:5:1101:1:2 2:N:0:ACGT"),
        ("SRR1.7 length=150", "SRR1.7 length=148"),
        ("", " "),
    ],
)
def test_mates(first: str, second: str) -> None:
    assert mate_id(first) == mate_id(second)


@pytest.mark.parametrize(("first", "second"), [("r1", "r2"), ("r1/1", "r2/2"), ("a/1", "a/3")])
def test_not_mates(first: str, second: str) -> None:
    assert mate_id(first) != mate_id(second)


def test_pairs_come_side_by_side(tmp_path: Path) -> None:
    names = [f"r{index}" for index in range(25)]
    r1 = write(tmp_path, "R1.fastq", fastq([f"{name}/1" for name in names]))
    r2 = write(tmp_path, "R2.fastq.gz", gzip.compress(fastq([f"{name}/2" for name in names], "TT")))
    pairs = list(iter_pairs(r1, r2, 10))
    assert [(len(first), second.first_record) for first, second in pairs] == [
        (10, 0),
        (10, 10),
        (5, 20),
    ]
    assert all(second.sequences == ["TT"] * len(second) for _, second in pairs)
    assert check_pair(r1, r2) == 25
    assert check_pair(r1, r2, max_records=10) == 10


def test_pair_with_a_read_missing_in_r1_fails(tmp_path: Path) -> None:
    r1 = write(tmp_path, "R1.fastq", fastq(["a", "b"]))
    r2 = write(tmp_path, "R2.fastq", fastq(["a", "b", "c"]))
    with pytest.raises(InputFormatError, match=r"2 here, more in R2\.fastq") as caught:
        check_pair(r1, r2)
    assert caught.value.path == str(r1)


def test_pair_ending_at_a_chunk_boundary_fails(tmp_path: Path) -> None:
    r1 = write(tmp_path, "R1.fastq", fastq(["a", "b", "c", "d"]))
    r2 = write(tmp_path, "R2.fastq", fastq(["a", "b"], "TT"))
    with pytest.raises(InputFormatError, match=r"2 here, more in R1\.fastq") as caught:
        check_pair(r1, r2, max_records=None)
    assert caught.value.path == str(r2)
    with pytest.raises(InputFormatError, match="same number of reads"):
        list(iter_pairs(r1, r2, 2))


def test_pair_with_names_that_differ_fails_naming_the_read(tmp_path: Path) -> None:
    r1 = write(tmp_path, "R1.fastq", fastq(["a 1:N:0", "b 1:N:0", "c 1:N:0"]))
    r2 = write(tmp_path, "R2.fastq", fastq(["a 2:N:0", "x 2:N:0", "c 2:N:0"]))
    with pytest.raises(InputFormatError, match="read 2 is 'x 2:N:0' here but 'b 1:N:0'") as caught:
        check_pair(r1, r2)
    assert caught.value.path == str(r2)
    assert caught.value.details["record"] == 2


def test_check_reads_file_describes_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "upload.bin", gzip.compress(fastq(["a", "b", "c"], "ACGTA")))
    info = check_reads_file(path)
    assert info == ReadsFileInfo(
        format="fastq",
        compressed=True,
        records_checked=3,
        complete=True,
        first_read_length=5,
        total_bytes=path.stat().st_size,
    )
    fasta = write(tmp_path, "upload.fa.gz", b">a\nACG\n>b\nA\n")
    assert check_reads_file(fasta, max_records=None).format == "fasta"
    assert not check_reads_file(fasta, max_records=None).compressed


def test_check_reads_file_stops_at_max_records(tmp_path: Path) -> None:
    # The record after the checked ones is broken: a quick check does not see it.
    path = write(tmp_path, "reads.fastq", fastq(["a", "b"]) + b"@c\nACGT\n+\nI\n")
    info = check_reads_file(path, max_records=1)
    assert (info.records_checked, info.complete) == (1, False)
    with pytest.raises(InputFormatError) as caught:
        check_reads_file(path, max_records=None)
    assert caught.value.line == 12


def test_pairs_keep_their_qualities_when_asked(tmp_path: Path) -> None:
    r1 = write(tmp_path, "R1.fastq", b"@a/1\nACGT\n+\nI+5I\n@b/1\nGG\n+\nII\n")
    r2 = write(tmp_path, "R2.fastq.gz", gzip.compress(b"@a/2\nTT\n+\n#I\n@b/2\nC\n+\n5\n"))
    [(first, second)] = list(iter_pairs(r1, r2, keep_qualities=True))
    assert (first.qualities, second.qualities) == ([b"I+5I", b"II"], [b"#I", b"5"])
    [(first, second)] = list(iter_pairs(r1, r2))
    assert first.qualities == second.qualities == []  # not carried unless asked


def test_fasta_pairs_have_no_qualities(tmp_path: Path) -> None:
    r1 = write(tmp_path, "R1.fa", b">a\nACGT\n")
    r2 = write(tmp_path, "R2.fa", b">a\nTT\n")
    [(first, second)] = list(iter_pairs(r1, r2, keep_qualities=True))
    assert (first.sequences, first.qualities, second.qualities) == (["ACGT"], [], [])


def test_qualities_of_records_read_by_the_fallback_parser(tmp_path: Path) -> None:
    """`+name` lines send a block to dnaio: its qualities come along too."""
    r1 = write(tmp_path, "R1.fastq", b"@a\nACGT\n+a\nI+5I\n")
    [chunk] = list(iter_chunks([r1], keep_qualities=True))
    assert chunk.qualities == [b"I+5I"]


def test_the_same_file_given_as_r1_and_r2_is_refused(tmp_path: Path) -> None:
    # It was merged with itself without a word: R2 must read the other strand.
    reads = "".join(f"@r{n}\nACGTAC{'A' * n}\n+\n{'I' * (6 + n)}\n" for n in range(5))
    r1 = write(tmp_path, "S_R1.fastq", reads.encode())
    r2 = write(tmp_path, "S_R2.fastq", reads.encode())
    with pytest.raises(InputFormatError, match=r"those of S_R1\.fastq, not their mates") as caught:
        check_pair(r1, r2)
    assert caught.value.path == str(r2)
    # mates named alike whose bases differ are a pair
    other_strand = reads.replace("ACGTAC", "GTACGT")
    assert check_pair(r1, write(tmp_path, "T_R2.fastq", other_strand.encode())) == 5
