"""iter_chunks on literal bytes (valid odd inputs, errors with their line), chunk boundaries,
several files, progress in bytes, gzip, and pickling for worker processes."""

from __future__ import annotations

import gzip
import os
import pickle
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from vidjil_local.errors import InputFormatError
from vidjil_local.reads import ReadChunk, iter_chunks

VALID: dict[str, tuple[bytes, list[str], list[str]]] = {
    "fastq": (b"@r1\nACGT\n+\nIIII\n", ["r1"], ["ACGT"]),
    "fastq-no-final-break": (b"@r1\nACGT\n+\nIIII", ["r1"], ["ACGT"]),
    "fastq-blank-lines-at-end": (b"@r1\nACGT\n+\nIIII\n\n\n", ["r1"], ["ACGT"]),
    "fastq-repeated-name": (
        b"@r1 x\nACGT\n+r1 x\nIIII\n@r2\nA\n+\nI\n",
        ["r1 x", "r2"],
        ["ACGT", "A"],
    ),
    "fastq-crlf": (
        b"@r1\r\nACGT\r\n+\r\nIIII\r\n@r2\r\nGG\r\n+\r\nII\r\n",
        ["r1", "r2"],
        ["ACGT", "GG"],
    ),
    "fastq-normalised": (b"@r\nacgtuURYKM-.*\n+\nIIIIIIIIIIIII\n", ["r"], ["ACGTTTNNNNNNN"]),
    "fastq-empty-read": (b"@r\n\n+\n\n@s\nA\n+\nI\n", ["r", "s"], ["", "A"]),
    "fastq-comment": (b"@M01:1:1 1:N:0:ACGT\nA\n+\nI\n", ["M01:1:1 1:N:0:ACGT"], ["A"]),
    "fastq-non-ascii-sequence": (b"@r\nA\xe9C\n+\nIII\n", ["r"], ["ANC"]),
    "fasta": (b">a desc\nACG\nTT\n>b\nGG\n", ["a desc", "b"], ["ACGTT", "GG"]),
    "fasta-no-final-break": (b">a\nAC\n>b\nGT", ["a", "b"], ["AC", "GT"]),
    "fasta-blank-lines": (b"\n\n>a\n\nAC\n\nGT\n\n>b\n\n", ["a", "b"], ["ACGT", ""]),
    "fasta-crlf": (b">a\r\nAC\r\nGT\r\n>b\r\nT\r\n", ["a", "b"], ["ACGT", "T"]),
    "fasta-spaces-in-sequence": (b">a\nAC GT\tA\n", ["a"], ["ACGTA"]),
    "fasta-latin1": (b">caf\xe9\nA\xe9u\n", ["caf\ufffd"], ["ANT"]),
    "fasta-gt-in-header": (b">a>b\nAC\n", ["a>b"], ["AC"]),
    "fasta-utf8-bom": (b"\xef\xbb\xbf>a\nAC\n", ["a"], ["AC"]),
    "fastq-utf8-bom": (b"\xef\xbb\xbf@a\nAC\n+\nII\n", ["a"], ["AC"]),
    "fastq-empty-last-read": (b"@a\nAC\n+\nII\n@b\n\n+\n\n", ["a", "b"], ["AC", ""]),
}

INVALID: dict[str, tuple[bytes, str, int | None]] = {
    "quality-short": (b"@r1\nACGT\n+\nIII\n", "Length of sequence and qualities differ", 4),
    "no-plus": (b"@r1\nACGT\nIIII\n@r2\nA\n+\nI\n", "expected to start with '+'", 3),
    "no-at": (b"@r1\nACGT\n+\nIIII\nr2\nAC\n+\nII\n", "expected to start with '@'", 5),
    "names-differ": (b"@r1\nACGT\n+r2\nIIII\n", "don't match", 3),
    "third-record": (
        b"@r1\nAC\n+\nII\n@r2\nAC\n+\nII\n@r3\nAC\n-\nII\n",
        "expected to start with '+'",
        11,
    ),
    "incomplete": (b"@r1\nAC\n+\nII\n@r2\nAC\n", "Premature end of file", 7),
    "leading-blank-fastq": (b"\n@r\nA\n+\nI\n", "expected to start with '@'", 1),
    "not-a-reads-file": (b"read1\tACGT\n", "not FASTA/FASTQ: starts with b'r'", 1),
    "blank-only": (b"  \n\n\r\n", "starts with blank lines only", None),
    "nul-in-fasta": (b">a\nAC\n\x00\x00\n", "binary data (NUL byte)", 3),
    "bzip2": (b"BZh91AY&SY" + bytes(20), "bzip2-compressed", None),
    "zstd": (b"\x28\xb5\x2f\xfd" + bytes(20), "zstd-compressed", None),
    "gzip-of-junk": (gzip.compress(b"\x01\x02junk"), "not FASTA/FASTQ", 1),
    "gzip-header-then-junk": (b"\x1f\x8b\x08\x00" + bytes(6) + b"\xff" * 80, "broken gzip", None),
    "gzip-header-only": (b"\x1f\x8b\x08\x00", "truncated gzip", None),
    "end-in-quality-header": (b"@a\nAC\n+\n", "Premature end of file", 4),
}


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def reads_of(paths: list[Path], chunk_size: int = 4096) -> tuple[list[str], list[str]]:
    chunks = list(iter_chunks(paths, chunk_size))
    return [n for chunk in chunks for n in chunk.names], [
        s for chunk in chunks for s in chunk.sequences
    ]


def random_fastq(count: int, seed: int = 1, length: int = 100) -> bytes:
    generator = random.Random(seed)
    records = []
    for index in range(count):
        bases = "".join(generator.choices("ACGT", k=length))
        records.append(f"@read{index} 1:N:0:1\n{bases}\n+\n{'I' * length}\n")
    return "".join(records).encode()


@pytest.mark.parametrize(("data", "names", "sequences"), VALID.values(), ids=list(VALID))
@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_valid_input(
    tmp_path: Path, data: bytes, names: list[str], sequences: list[str], compressed: bool
) -> None:
    path = write(tmp_path, "reads", gzip.compress(data) if compressed else data)
    assert reads_of([path]) == (names, sequences)


@pytest.mark.parametrize(("data", "fragment", "line"), INVALID.values(), ids=list(INVALID))
def test_invalid_input(tmp_path: Path, data: bytes, fragment: str, line: int | None) -> None:
    path = write(tmp_path, "reads.fastq", data)
    with pytest.raises(InputFormatError) as caught:
        reads_of([path])
    assert fragment in caught.value.message
    assert caught.value.line == line
    assert caught.value.path == str(path)
    assert caught.value.to_dict()["details"] == {"path": str(path), "line": line}


@pytest.mark.parametrize(
    ("count", "chunk_size"), [(1, 1), (9, 10), (10, 10), (11, 10), (2500, 1000)]
)
def test_chunks_hold_every_read_once_in_order(tmp_path: Path, count: int, chunk_size: int) -> None:
    path = write(tmp_path, "reads.fastq", random_fastq(count))
    chunks = list(iter_chunks([path], chunk_size))
    assert [len(chunk) for chunk in chunks[:-1]] == [chunk_size] * (len(chunks) - 1)
    assert [chunk.first_record for chunk in chunks] == list(range(0, count, chunk_size))
    names = [name for chunk in chunks for name in chunk.names]
    assert names == [f"read{index} 1:N:0:1" for index in range(count)]


def test_reads_across_parser_blocks_are_whole(tmp_path: Path) -> None:
    # Long enough to span many 128 KiB blocks, with reads of varying length.
    generator = random.Random(7)
    records = []
    for index in range(3000):
        bases = "".join(generator.choices("ACGT", k=generator.randrange(50, 400)))
        records.append((f"r{index}", bases))
    fastq = "".join(f"@{name}\n{bases}\n+\n{'#' * len(bases)}\n" for name, bases in records)
    fasta = "".join(f">{name}\n{bases[:60]}\n{bases[60:]}\n" for name, bases in records)
    two_line_fasta = "".join(f">{name}\n{bases}\n" for name, bases in records)
    expected = ([name for name, _ in records], [bases for _, bases in records])
    assert reads_of([write(tmp_path, "a.fastq", fastq.encode())], 512) == expected
    assert reads_of([write(tmp_path, "a.fasta", fasta.encode())], 512) == expected
    assert reads_of([write(tmp_path, "b.fasta", two_line_fasta.encode())], 512) == expected


def test_error_after_many_reads_has_its_line_and_the_reads_before(tmp_path: Path) -> None:
    path = write(tmp_path, "reads.fastq", random_fastq(3000) + b"@bad\nACGT\n+\nII\n")
    chunks: list[ReadChunk] = []
    with pytest.raises(InputFormatError) as caught:
        chunks.extend(iter_chunks([path], 1000))
    assert caught.value.line == 4 * 3000 + 4
    assert sum(map(len, chunks)) == 3000


def test_several_files_are_numbered(tmp_path: Path) -> None:
    first = write(tmp_path, "one.fastq", random_fastq(5))
    second = write(tmp_path, "two", gzip.compress(b">x\nAC\n>y\nGT\n>z\nT\n"))
    chunks = list(iter_chunks([first, second, first], 3))
    assert [(c.file_index, c.first_record, len(c)) for c in chunks] == [
        (0, 0, 3),
        (0, 3, 2),
        (1, 0, 3),
        (2, 0, 3),
        (2, 3, 2),
    ]
    assert chunks[2].names == ["x", "y", "z"]


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_progress_grows_to_the_stored_size(tmp_path: Path, compressed: bool) -> None:
    data = random_fastq(20_000)
    path = write(tmp_path, "reads", gzip.compress(data, 1) if compressed else data)
    chunks = list(iter_chunks([path], 1000))
    progress = [chunk.bytes_read for chunk in chunks]
    assert progress == sorted(progress)
    # It moves while reading, not only at the end (gzip input is consumed 512 KiB at a time).
    assert progress[0] < progress[-1]
    assert compressed or len(set(progress)) > 3
    assert all(chunk.total_bytes == path.stat().st_size for chunk in chunks)
    assert progress[-1] == path.stat().st_size


def test_chunks_survive_pickling(tmp_path: Path) -> None:
    path = write(tmp_path, "reads.fastq", random_fastq(3))
    (chunk,) = iter_chunks([path])
    assert pickle.loads(pickle.dumps(chunk)) == chunk


def test_read_longer_than_the_limit_is_refused_with_its_line(tmp_path: Path) -> None:
    data = b"@ok\nACGT\n+\nIIII\n@long\n" + b"A" * 50 + b"\n+\n" + b"I" * 50 + b"\n"
    path = write(tmp_path, "reads.fastq", data)
    chunks: list[ReadChunk] = []
    with pytest.raises(InputFormatError, match="read of 50 nucleotides") as caught:
        chunks.extend(iter_chunks([path], max_read_length=49))
    assert caught.value.line == 6
    assert [chunk.names for chunk in chunks] == [["ok"]]
    assert reads_of([path])[0] == ["ok", "long"]


@pytest.mark.parametrize("wrapped", [False, True], ids=["two-line", "wrapped"])
def test_fasta_read_longer_than_the_limit_is_refused_with_its_line(
    tmp_path: Path, wrapped: bool
) -> None:
    long_read = b"ACGTA\nCGTAC\n" if wrapped else b"ACGTACGTAC\n"
    path = write(tmp_path, "reads.fa", b">a\nACGT\n>b\nAC\n>long\n" + long_read + b">c\nA\n")
    chunks: list[ReadChunk] = []
    with pytest.raises(InputFormatError, match="read of 10 nucleotides") as caught:
        chunks.extend(iter_chunks([path], max_read_length=9))
    assert caught.value.line == 5
    assert [chunk.names for chunk in chunks] == [["a", "b"]]


def test_endless_line_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    path = write(tmp_path, "reads.fastq", b"@r1\nA\n+\nI\n@" + b"x" * 3_000_000)
    with pytest.raises(InputFormatError, match="max_read_length=1000000") as caught:
        list(iter_chunks([path]))
    assert caught.value.line == 5


def test_long_multiline_fasta_record_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "reads.fasta", b">a\nAC\n>b\n" + b"ACGTACGTAC\n" * 20_000)
    with pytest.raises(InputFormatError, match="read of 200000 nucleotides") as caught:
        list(iter_chunks([path], max_read_length=100_000))
    assert caught.value.line == 3


BREAKAGES: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda data: data[: len(data) // 2],
    "bad-trailer": lambda data: data[:-8] + bytes(8),  # wrong CRC and length
}


@pytest.mark.parametrize("breakage", BREAKAGES.values(), ids=list(BREAKAGES))
def test_broken_gzip_is_an_input_error(tmp_path: Path, breakage: Callable[[bytes], bytes]) -> None:
    data = breakage(gzip.compress(random_fastq(2000)))
    path = write(tmp_path, "reads.fastq.gz", data)
    chunks: list[ReadChunk] = []
    with pytest.raises(InputFormatError, match="gzip"):
        chunks.extend(iter_chunks([path], 100))
    assert sum(map(len, chunks)) < 2000


def test_missing_file_and_directory_are_input_errors(tmp_path: Path) -> None:
    for path in [tmp_path / "absent.fastq", tmp_path]:
        with pytest.raises(InputFormatError, match="cannot open") as caught:
            list(iter_chunks([path]))
        assert caught.value.path == str(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "pipe.fastq"
    os.mkfifo(path)
    with pytest.raises(InputFormatError, match="not a regular file"):
        list(iter_chunks([path]))


def test_chunk_size_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="chunk_size"):
        list(iter_chunks([tmp_path / "reads.fastq"], 0))


def test_concatenated_gzip_members_are_all_read(tmp_path: Path) -> None:
    # As `cat a.fastq.gz b.fastq.gz` and bgzip write.
    data = gzip.compress(b"@a\nAC\n+\nII\n") + gzip.compress(b"@b\nGT\n+\nII\n")
    assert reads_of([write(tmp_path, "joined.fastq.gz", data)]) == (["a", "b"], ["AC", "GT"])
