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
from vidjil_local.reads._normalise import BASES_BYTES, Batch
from vidjil_local.reads._stream import LINE_SLACK, GuardedReader, LineTooLong

_DELETED = b" \t\r\n"


def fasta_batches(reader: GuardedReader, path: Path, max_read_length: int) -> Iterator[Batch]:
    """Yield (names, sequences) for each piece of whole records.

    On a bad record, the records before it are yielded, then `InputFormatError` is raised.
    """
    for text, line in _whole_records(reader, 2 * max_read_length + LINE_SLACK):
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
                yield names, sequences
            raise
        if names:
            yield names, sequences


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
