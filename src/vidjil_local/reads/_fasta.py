"""Parse FASTA block by block: whole records are cut from the stream and split at `\\n>`.

dnaio's FASTA reader goes line by line in Python, decodes headers strictly and cannot bound the
size of a multi-line record; this parser does none of that. Blank lines anywhere and CRLF line
breaks are tolerated, header bytes that are not UTF-8 are replaced, sequence bytes that are not
bases become `N`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from vidjil_local.errors import InputFormatError
from vidjil_local.reads._fastq import too_long
from vidjil_local.reads._normalise import BASES_BYTES, BASES_BYTES_KEEPING_BREAKS, Batch
from vidjil_local.reads._stream import LINE_SLACK, GuardedReader, LineTooLong

_DELETED = b" \t\r\n"


def fasta_batches(reader: GuardedReader, path: Path, max_read_length: int) -> Iterator[Batch]:
    """Yield (names, sequences, no qualities) for each piece of whole records.

    On a bad record, the records before it are yielded, then `InputFormatError` is raised.
    """
    for text, line in _whole_records(reader, 2 * max_read_length + LINE_SLACK):
        two_line = _two_line_records(text)
        if two_line is not None:
            yield from _length_checked(two_line, path, max_read_length, line)
        else:
            yield from _any_records(text, path, max_read_length, line)


def _two_line_records(text: bytes) -> Batch | None:
    """Parse `text` at once if every record is a header and one sequence line (the usual
    FASTA of reads); None for anything else (wrapped or blank lines, CRLF, trailing blanks)."""
    lines = text.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    headers = b"\n".join(lines[0::2])
    sequences = b"\n".join(lines[1::2])
    if (
        len(lines) % 2
        or b"\r" in text
        or not headers.startswith(b">")
        or headers.count(b"\n>") != len(lines) // 2 - 1
        or sequences.startswith(b">")
        or b"\n>" in sequences
        or headers.endswith((b" ", b"\t"))
        or b" \n" in headers
        or b"\t\n" in headers
    ):
        return None
    names = headers[1:].decode("utf-8", "replace").split("\n>")
    bases = sequences.translate(BASES_BYTES_KEEPING_BREAKS, b" \t")
    return names, bases.decode("ascii").split("\n"), []


def _length_checked(batch: Batch, path: Path, max_read_length: int, line: int) -> Iterator[Batch]:
    """Yield `batch` (two-line records from `line`) up to its first read that is too long."""
    names, sequences, _ = batch
    if max(map(len, sequences), default=0) > max_read_length:
        index = next(i for i, sequence in enumerate(sequences) if len(sequence) > max_read_length)
        if index:
            yield names[:index], sequences[:index], []
        raise too_long(path, line + 2 * index, len(sequences[index]), max_read_length)
    yield batch


def _any_records(text: bytes, path: Path, max_read_length: int, line: int) -> Iterator[Batch]:
    """Parse `text` record by record: wrapped sequences, blank lines, CRLF."""
    names: list[str] = []
    sequences: list[str] = []
    try:
        for name, sequence, record_line in _parse_records(path, text, line):
            if len(sequence) > max_read_length:
                raise too_long(path, record_line, len(sequence), max_read_length)
            names.append(name)
            sequences.append(sequence)
    except InputFormatError:
        if names:
            yield names, sequences, []
        raise
    if names:
        yield names, sequences, []


def _whole_records(reader: GuardedReader, record_limit: int) -> Iterator[tuple[bytes, int]]:
    """Yield pieces of the file made of whole records, with the line each starts at."""
    parts: list[bytes] = []
    pending = 0
    line = 1
    ended_with_break = False
    while block := reader.read_block():
        cut = block.rfind(b"\n>") + 1
        if cut == 0 and not (ended_with_break and block.startswith(b">")):
            parts.append(block)
            pending += len(block)
            if pending > record_limit:
                raise LineTooLong(line, record_limit, what="record")
        else:
            text = b"".join([*parts, block[:cut]])
            yield text, line
            line += text.count(b"\n")
            parts, pending = [block[cut:]], len(block) - cut
        ended_with_break = block.endswith(b"\n")
    if parts:
        yield b"".join(parts), line


def _parse_records(path: Path, text: bytes, line: int) -> Iterator[tuple[str, str, int]]:
    """Yield (name, sequence, line of the header) for the whole records in `text`."""
    stripped = text.lstrip(_DELETED)
    line += text[: len(text) - len(stripped)].count(b"\n")
    if not stripped:
        return
    if not stripped.startswith(b">"):
        message = "FASTA record expected, found text before the first '>'"
        raise InputFormatError(message, str(path), line)
    for record in stripped[1:].split(b"\n>"):
        header, _, body = record.partition(b"\n")
        name = header.rstrip().decode("utf-8", "replace")
        yield name, body.translate(BASES_BYTES, _DELETED).decode("ascii"), line
        line += record.count(b"\n") + 1
