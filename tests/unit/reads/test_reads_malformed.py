"""Every bad or odd input of tests/data/malformed (see its README table) and what reading does.

`CASES` mirrors the README table row by row; a test keeps the two in step.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from vidjil_local.errors import InputFormatError
from vidjil_local.reads import (
    DEFAULT_MAX_READ_LENGTH,
    ReadChunk,
    check_pair,
    check_reads_file,
    iter_chunks,
)

MALFORMED = Path(__file__).parents[2] / "data" / "malformed"
FORTY_BASES = "ACGT" * 10


@dataclass(frozen=True)
class Reads:
    """The file reads normally, giving these sequences (or just this many reads)."""

    count: int
    sequences: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Fails:
    """Reading raises InputFormatError with this text and line, after `before` reads."""

    fragment: str
    line: int | None
    before: int = 0


CASES: dict[str, Reads | Fails] = {
    "malformed1.fq": Fails("expected to start with '+'", 3),
    "malformed2.fq": Fails("Premature end of file", 2),
    "malformed3.fq": Fails("Length of sequence and qualities differ", 4),
    "malformed4.fq": Fails("Premature end of file", 4),
    "malformed5.fq": Fails("Premature end of file", 3),
    "malformed6.fq": Fails("not FASTA/FASTQ: the file starts with blank lines only", None),
    "malformed7.fq": Fails("Premature end of file", 6, before=1),
    "truncated.fastq.gz": Fails("truncated gzip", None, before=845),
    "not-really-gzip.fastq.gz": Reads(3, (FORTY_BASES,) * 3),
    "gzip-without-suffix.fastq": Reads(3, (FORTY_BASES,) * 3),
    "binary-junk.fastq": Fails("not FASTA/FASTQ: starts with b'R'", 1),
    "quality-length-mismatch.fastq": Fails("Length of sequence and qualities differ", 4),
    "missing-plus.fastq": Fails("expected to start with '+', but found 'I'", 3),
    "crlf-valid.fastq": Reads(2, (FORTY_BASES,) * 2),
    "lowercase-iupac-valid.fasta": Reads(2, ("ACGTNNNNNNACGTACGTACGTACGTACGT", "ACGTNNNNNNNACGT")),
    "huge-read.fasta.gz": Fails("reads are limited to max_read_length=1000000", 2),
    "empty.fastq": Reads(0),
    "header-only.fasta": Reads(1, ("",)),
    "blank-lines-valid.fasta": Reads(2, ("ACGTACGT", "ACGTACGT")),
    "latin1-header.fastq": Reads(1, ("ACGT",)),
}
PAIR = ("pair-R1.fastq", "pair-R2.fastq")


def read_all(
    paths: list[Path], chunk_size: int = 100, max_read_length: int = DEFAULT_MAX_READ_LENGTH
) -> tuple[list[ReadChunk], InputFormatError | None]:
    """All chunks yielded, and the error that ended the reading if any."""
    chunks: list[ReadChunk] = []
    try:
        chunks.extend(iter_chunks(paths, chunk_size, max_read_length=max_read_length))
    except InputFormatError as error:
        return chunks, error
    return chunks, None


def test_cases_follow_the_readme_table() -> None:
    readme = (MALFORMED / "README.md").read_text()
    listed = set(re.findall(r"[\w.-]+\.(?:fq|fastq|fasta)(?:\.gz)?", readme))
    on_disk = {path.name for path in MALFORMED.iterdir() if path.name != "README.md"}
    assert listed <= set(CASES) | set(PAIR)
    assert on_disk == set(CASES) | set(PAIR)


@pytest.mark.parametrize(("name", "expected"), CASES.items(), ids=list(CASES))
def test_malformed_file(name: str, expected: Reads | Fails) -> None:
    path = MALFORMED / name
    chunks, error = read_all([path], chunk_size=100)
    sequences = [sequence for chunk in chunks for sequence in chunk.sequences]
    if isinstance(expected, Reads):
        assert error is None
        assert len(sequences) == expected.count
        if expected.sequences is not None:
            assert tuple(sequences) == expected.sequences
    else:
        assert error is not None
        assert error.path == str(path)
        assert error.line == expected.line
        assert expected.fragment in error.message
        assert len(sequences) == expected.before


@pytest.mark.parametrize("name", [name for name, case in CASES.items() if isinstance(case, Fails)])
def test_upload_check_raises_the_same_error(name: str) -> None:
    case = CASES[name]
    assert isinstance(case, Fails)
    with pytest.raises(InputFormatError) as caught:
        check_reads_file(MALFORMED / name, max_records=None)
    assert caught.value.line == case.line
    assert case.fragment in caught.value.message


def test_latin1_header_is_read_with_a_replacement_character() -> None:
    chunks, error = read_all([MALFORMED / "latin1-header.fastq"])
    assert error is None
    assert chunks[0].names == ["r\ufffdad1"]


def test_huge_read_is_read_under_a_larger_limit() -> None:
    chunks, error = read_all([MALFORMED / "huge-read.fasta.gz"], max_read_length=6_000_000)
    assert error is None
    assert chunks[0].names == ["huge"]
    assert chunks[0].sequences[0] == "ACGT" * (5 * 2**20 // 4)


def test_empty_file_has_no_reads_only_when_reads_are_required() -> None:
    assert read_all([MALFORMED / "empty.fastq"]) == ([], None)
    with pytest.raises(InputFormatError, match=r"empty\.fastq: no reads"):
        list(iter_chunks([MALFORMED / "empty.fastq"], require_reads=True))
    with pytest.raises(InputFormatError, match="no reads"):
        check_reads_file(MALFORMED / "empty.fastq")


def test_pair_with_different_read_counts_fails() -> None:
    r1, r2 = (MALFORMED / name for name in PAIR)
    with pytest.raises(InputFormatError, match="same number of reads: 2 here") as caught:
        check_pair(r1, r2)
    assert caught.value.path == str(r2)


# Cases generated here rather than stored: edge cases of line breaks, qualities, bytes and
# compression, each with what reading must give (a file is written per case).
TWO = b"@r1\nACGTACGTAC\n+\nIIIIIIIIII\n@r2\nACGTACGTAC\n+\nIIIIIIIIII\n"
GOOD = b"@r0\nACGT\n+\nIIII\n"
SEQUENCES = ("ACGTACGTAC",) * 2
GENERATED: dict[str, tuple[bytes, Reads | Fails]] = {
    "crlf-without-final-break.fastq": (TWO.replace(b"\n", b"\r\n")[:-2], Reads(2, SEQUENCES)),
    "without-final-break.fastq": (TWO[:-1], Reads(2, SEQUENCES)),
    "lowercase-iupac.fastq": (b"@r\nacgtnrykmu\n+\nIIIIIIIIII\n", Reads(1, ("ACGTNNNNNT",))),
    "one-base-read.fastq": (b"@r\nA\n+\nI\n", Reads(1, ("A",))),
    "empty-read.fastq": (b"@r\n\n+\n\n" + GOOD, Reads(2, ("", "ACGT"))),
    "plus-repeating-the-name.fastq": (b"@r1\nACGT\n+r1\nIIII\n", Reads(1, ("ACGT",))),
    "plus-naming-another-read.fastq": (b"@r1\nACGT\n+r2\nIIII\n", Fails("don't match", 3)),
    "only-headers.fastq": (b"@r1\n@r2\n@r3\n", Fails("Premature end of file", 4)),
    "quality-longer.fastq": (b"@r\nACGT\n+\nIIIII\n", Fails("qualities differ", 4)),
    "quality-below-bang.fastq": (GOOD + b"@r\nACGT\n+\nII I\n", Fails("quality ' '", 8, 1)),
    "quality-control-char.fastq": (b"@r\nACGT\n+\nII\x1fI\n", Fails("quality '\\x1f'", 4)),
    "quality-utf8.fastq": (GOOD + b"@r\nACGT\n+\nII\xc3\xa9\n", Fails("byte 0xc3", 8, 1)),
    # a `+name` line sends the block to dnaio, which does not look at quality characters
    "quality-bad-after-plus-name.fastq": (
        b"@r0\nACGT\n+r0\nIIII\n@r\nACGT\n+\nII\x7fI\n",
        Fails("quality '\\x7f'", 8, 1),
    ),
    "nul-byte.fastq": (b"@r\nAC\x00T\n+\nIIII\n", Fails("NUL byte", 2)),
    "utf8-bom.fastq": (b"\xef\xbb\xbf" + TWO, Reads(2, SEQUENCES)),
    "fasta-named-fastq.fastq": (b">r1\nACGT\n>r2\nacgu\n", Reads(2, ("ACGT", "ACGT"))),
    "multi-member.fastq.gz": (gzip.compress(TWO) + gzip.compress(GOOD), Reads(3)),
    "gzip-then-zeros.fastq.gz": (gzip.compress(TWO) + bytes(512), Reads(2, SEQUENCES)),
    "gzip-then-garbage.fastq.gz": (
        gzip.compress(TWO) + b"garbage!" * 4,
        Fails("the gzip data is followed by bytes that are not gzip", None),
    ),
    # fewer bytes than a gzip header: a reader takes them for a cut member
    "gzip-then-a-few-bytes.fastq.gz": (
        gzip.compress(TWO) + b"junk\n",
        Fails("the gzip data is followed by 5 bytes that are not gzip", None),
    ),
    "gzip-then-newline.fastq.gz": (
        gzip.compress(TWO) + gzip.compress(GOOD) + b"\n",
        Fails("the gzip data is followed by 1 byte that is not gzip", None),
    ),
    "gzip-of-gzip.fastq.gz": (gzip.compress(gzip.compress(TWO)), Fails("compressed twice", None)),
    "reads.fastq.bz2": (bz2.compress(TWO), Fails("bzip2-compressed data", None)),
    "reads.fastq.xz": (lzma.compress(TWO), Fails("xz-compressed data", None)),
    "reads.fastq.lzma": (
        lzma.compress(TWO, format=lzma.FORMAT_ALONE),
        Fails("lzma-compressed data", None),
    ),
    "reads.fastq.zst": (b"\x28\xb5\x2f\xfd" + bytes(16), Fails("zstd-compressed data", None)),
    "vidjil-as-fastq.fastq": (b'{"clones": []}', Fails("starts with b'{'", 1)),
    "utf16.fastq": ("@r\nACGT\n+\nIIII\n".encode("utf-16"), Fails("starts with b'\\xff'", 1)),
}


@pytest.mark.parametrize(("name", "case"), GENERATED.items(), ids=list(GENERATED))
def test_generated_case(tmp_path: Path, name: str, case: tuple[bytes, Reads | Fails]) -> None:
    content, expected = case
    path = tmp_path / name
    path.write_bytes(content)
    chunks, error = read_all([path], chunk_size=100)
    sequences = [sequence for chunk in chunks for sequence in chunk.sequences]
    if isinstance(expected, Reads):
        assert error is None, error
        assert len(sequences) == expected.count
        if expected.sequences is not None:
            assert tuple(sequences) == expected.sequences
        return
    assert error is not None, sequences
    assert error.line == expected.line, error
    assert expected.fragment in error.message, error.message
    assert len(sequences) == expected.before
    with pytest.raises(InputFormatError) as caught:
        check_reads_file(path, max_records=None)
    assert caught.value.message == error.message


def test_a_record_quoted_by_the_error_is_cut_short(tmp_path: Path) -> None:
    # Old Mac line breaks (CR only) make the whole file one unfinished record, which dnaio quoted
    # whole in the message stored with the sample and shown to the user.
    path = tmp_path / "cr-only.fastq"
    path.write_bytes(TWO.replace(b"\n", b"\r") * 500)
    _, error = read_all([path])
    assert error is not None
    assert "Premature end of file" in error.message
    # the file's own path aside (the temporary folder's path is longer under pytest-xdist)
    assert len(error.message.replace(str(path), "")) < 225, error.message
