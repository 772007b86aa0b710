"""Parse an opened reads file into batches of (names, sequences), with errors that say where.

FASTQ goes through dnaio's compiled parser. FASTA is parsed here, block by block, because
dnaio's FASTA reader works line by line in Python, decodes headers strictly and cannot bound
the size of a multi-line record. Sequences come out normalised: upper case, `U` read as `T`,
anything else than `ACGT` (IUPAC codes, gaps, junk) as `N`.

On any problem the records parsed before it are yielded first, then `InputFormatError` is
raised with the original path and, when known, the line.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import BinaryIO, cast

import dnaio
from isal import isal_zlib

from vidjil_local.errors import InputFormatError
from vidjil_local.reads._stream import (
    BLOCK_SIZE,
    LINE_SLACK,
    BadByte,
    GuardedStream,
    LineTooLong,
    OpenedReads,
)

Batch = tuple[list[str], list[str]]


def _translation_tables() -> tuple[dict[int, str], bytes]:
    text_table = {code: "N" for code in range(128)}
    for base in "ACGT":
        text_table[ord(base)] = text_table[ord(base.lower())] = base
    text_table[ord("U")] = text_table[ord("u")] = "T"
    byte_table = bytes(ord(text_table.get(code, "N")) for code in range(256))
    return text_table, byte_table


# The text table serves dnaio's (ASCII) sequences; the byte table FASTA bodies, where any byte,
# ASCII or not, may appear.
BASES_TEXT, BASES_BYTES = _translation_tables()
FASTA_DELETED = b" \t\r\n"

_STREAM_ERRORS = (
    dnaio.FileFormatError,
    EOFError,
    OSError,
    LineTooLong,
    BadByte,
    cast(type[Exception], isal_zlib.error),  # the stub declares an instance, not a class
)


def iter_batches(opened: OpenedReads, batch_size: int, max_read_length: int) -> Iterator[Batch]:
    """Yield batches of at most `batch_size` normalised records from `opened`."""
    if opened.format is None:
        return
    parse = _fastq_batches if opened.format == "fastq" else _fasta_batches
    records_before = 0
    try:
        for names, sequences in parse(opened, batch_size, max_read_length):
            records_before += len(names)
            yield names, sequences
    except _STREAM_ERRORS as error:
        raise _input_error(error, opened, records_before, max_read_length) from None


def _fastq_batches(opened: OpenedReads, batch_size: int, max_read_length: int) -> Iterator[Batch]:
    reader = dnaio.FastqReader(cast(BinaryIO, opened.stream))
    records_before = 0
    while True:
        records: list[dnaio.SequenceRecord] = []
        append = records.append
        try:
            for record in islice(reader, batch_size):
                append(record)
        except Exception:
            if records:
                yield _fastq_batch(opened, records, records_before, max_read_length)
            raise
        if not records:
            return
        yield _fastq_batch(opened, records, records_before, max_read_length)
        records_before += len(records)


def _fastq_batch(
    opened: OpenedReads,
    records: list[dnaio.SequenceRecord],
    records_before: int,
    max_read_length: int,
) -> Batch:
    names = [record.name for record in records]
    sequences = [record.sequence.translate(BASES_TEXT) for record in records]
    if max(map(len, sequences)) > max_read_length:
        index = next(i for i, sequence in enumerate(sequences) if len(sequence) > max_read_length)
        line = 4 * (records_before + index) + 2
        raise _too_long(opened.path, line, len(sequences[index]), max_read_length)
    return names, sequences


def _fasta_batches(opened: OpenedReads, batch_size: int, max_read_length: int) -> Iterator[Batch]:
    names: list[str] = []
    sequences: list[str] = []
    try:
        for text, first_line in _fasta_texts(opened.stream, 2 * max_read_length + LINE_SLACK):
            for name, sequence, line in _parse_fasta_text(opened.path, text, first_line):
                if len(sequence) > max_read_length:
                    raise _too_long(opened.path, line, len(sequence), max_read_length)
                names.append(name)
                sequences.append(sequence)
                if len(names) == batch_size:
                    yield names, sequences
                    names, sequences = [], []
    except BaseException:
        if names:
            yield names, sequences
        raise
    if names:
        yield names, sequences


def _fasta_texts(stream: GuardedStream, record_limit: int) -> Iterator[tuple[bytes, int]]:
    """Yield pieces of the file made of whole records, with the line number each starts at."""
    parts: list[bytes] = []
    pending = 0
    line = 1
    ended_with_break = False
    while block := stream.read(BLOCK_SIZE):
        cut = block.rfind(b"\n>") + 1
        if cut == 0 and not (ended_with_break and block.startswith(b">")):
            parts.append(block)
            pending += len(block)
            if pending > record_limit:
                raise LineTooLong(line, record_limit)
        else:
            text = b"".join([*parts, block[:cut]])
            yield text, line
            line += text.count(b"\n")
            parts, pending = [block[cut:]], len(block) - cut
        ended_with_break = block.endswith(b"\n")
    if parts:
        yield b"".join(parts), line


def _parse_fasta_text(path: Path, text: bytes, line: int) -> Iterator[tuple[str, str, int]]:
    """Parse whole FASTA records; blank lines anywhere and CRLF line breaks are tolerated."""
    stripped = text.lstrip(b" \t\r\n")
    line += text[: len(text) - len(stripped)].count(b"\n")
    if not stripped:
        return
    if not stripped.startswith(b">"):
        message = "FASTA record expected, found text before the first '>'"
        raise InputFormatError(message, str(path), line)
    for record in stripped[1:].split(b"\n>"):
        header, _, body = record.partition(b"\n")
        name = header.rstrip().decode("utf-8", "replace")
        yield name, body.translate(BASES_BYTES, FASTA_DELETED).decode("ascii"), line
        line += record.count(b"\n") + 1


def _too_long(path: Path, line: int, length: int, max_read_length: int) -> InputFormatError:
    message = f"read of {length} nucleotides is longer than max_read_length={max_read_length}"
    return InputFormatError(message, str(path), line)


def _input_error(
    error: Exception, opened: OpenedReads, records_before: int, max_read_length: int
) -> InputFormatError:
    path = str(opened.path)
    after = f"after {records_before} records"
    if isinstance(error, dnaio.FileFormatError):
        return _dnaio_error(error, path, records_before)
    if isinstance(error, LineTooLong):
        message = f"a line longer than {error.limit} bytes, reads are limited to " + (
            f"max_read_length={max_read_length}"
        )
        return InputFormatError(message, path, error.line)
    if isinstance(error, BadByte):
        return InputFormatError(error.what, path, error.line)
    if isinstance(error, EOFError):
        return InputFormatError(f"truncated gzip: the file ends too early ({after})", path)
    if opened.compressed:
        return InputFormatError(f"broken gzip data ({after}): {error}", path)
    return InputFormatError(f"cannot read ({after}): {error}", path)


def _dnaio_error(error: dnaio.FileFormatError, path: str, records_before: int) -> InputFormatError:
    if error.line is not None:
        return InputFormatError(error.message, path, error.line + 1)
    # dnaio gives no line for non-ASCII bytes; a FASTQ record is four lines.
    record = records_before + 1
    message = f"{error.message.rstrip('.')} (record {record})"
    return InputFormatError(message, path, 4 * records_before + 1)
