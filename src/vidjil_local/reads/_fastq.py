"""Parse FASTQ block by block, with whole-block checks instead of a loop over records.

Each block of whole four-line records is split once; headers, `+` lines and lengths are checked
with a few C-level operations over the whole block, and sequences are normalised with one
`bytes.translate`. This is about 40% faster than taking dnaio's records one by one (each
`SequenceRecord` and its qualities must be allocated, then freed). A block that fails a check, or
that has something unusual (`+name` lines), is handed to dnaio, whose parser then gives either
the exact error with its line or the records: the file is read with dnaio's rules either way.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import dnaio

from vidjil_local.errors import InputFormatError
from vidjil_local.reads._normalise import BASES_BYTES_KEEPING_BREAKS, BASES_TEXT, Batch
from vidjil_local.reads._stream import GuardedReader

# dnaio only reads ASCII; in the rare fallback, other bytes become '?' (same lengths and lines).
_ASCII_ONLY = bytes(code if code < 128 else ord("?") for code in range(256))
# dnaio quotes the record it stopped in whole; a file of CR-only line breaks is one huge record,
# and the message is stored with the sample and shown: a quote this long says enough.
MAX_QUOTE = 120
# The quality characters of Phred+33 (and of the old Phred+64): '!' to '~'. Others (a space, a
# control character, a byte of UTF-8) are a damaged file, and would weigh in pair merging.
QUALITY_CHARACTERS = bytes(range(ord("!"), ord("~") + 1))


def fastq_batches(reader: GuardedReader, path: Path, max_read_length: int) -> Iterator[Batch]:
    """Yield (names, sequences, qualities) for each block of whole records.

    On a bad record, the records before it are yielded, then `InputFormatError` is raised.
    """
    pending: list[bytes] = []  # the start of the last, incomplete record
    line = 1
    while block := reader.read_block():
        if b"\n" not in block:  # inside a long line: do not join and split again
            pending.append(block)
            continue
        lines = _lines(b"".join([*pending, block]))
        count = (len(lines) - 1) // 4
        pending = [b"\n".join(lines[4 * count :])]
        if count:
            del lines[4 * count :]
            yield from _parse_block(lines, path, line, max_read_length)
            line += 4 * count
    lines = _last_lines(b"".join(pending))
    if lines:
        yield from _parse_block(lines, path, line, max_read_length)


def _lines(data: bytes) -> list[bytes]:
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n")
    return data.split(b"\n")


def _last_lines(data: bytes) -> list[bytes]:
    """The lines at the end of the file, without blank lines after the last record."""
    lines = _lines(data)
    if lines[-1] == b"":  # after the final line break
        lines.pop()
    while lines and len(lines) % 4 and not lines[-1].strip():
        lines.pop()
    return lines


def _parse_block(
    lines: list[bytes], path: Path, line: int, max_read_length: int
) -> Iterator[Batch]:
    """Yield the good records of `lines`, the first one at line `line`, then raise on a bad one."""
    count = len(lines) // 4
    headers = b"\n".join(lines[0::4])
    sequences = lines[1::4]
    qualities = lines[3::4]
    error = None
    if (
        len(lines) % 4
        or not headers.startswith(b"@")
        or headers.count(b"\n@") != count - 1
        or b"".join(lines[2::4]) != b"+" * count
        or list(map(len, sequences)) != list(map(len, qualities))
    ):
        (names, bases, qualities), error = _explain(lines, path, line)
    else:
        names = headers[1:].decode("utf-8", "replace").split("\n@")
        joined = b"\n".join(sequences).translate(BASES_BYTES_KEEPING_BREAKS)
        bases = joined.decode("ascii").split("\n")
    if max(map(len, bases), default=0) > max_read_length:
        index = next(i for i, sequence in enumerate(bases) if len(sequence) > max_read_length)
        error = too_long(path, line + 4 * index + 1, len(bases[index]), max_read_length)
        del names[index:], bases[index:], qualities[index:]
    bad = _first_bad_quality(lines[3 : 4 * len(names) : 4])  # as stored, also after _explain
    if bad is not None:
        index, character = bad
        error = _bad_quality(path, line + 4 * index + 3, character)
        del names[index:], bases[index:], qualities[index:]
    if names:
        yield names, bases, qualities
    if error is not None:
        raise error


def _explain(lines: list[bytes], path: Path, line: int) -> tuple[Batch, InputFormatError | None]:
    """Read the block with dnaio: its records up to its first error, and that error located."""
    data = (b"\n".join(lines) + b"\n").translate(_ASCII_ONLY)
    records: list[dnaio.SequenceRecord] = []
    error = None
    try:
        # extend() keeps the records read before an error.
        records.extend(dnaio.FastqReader(io.BytesIO(data)))
    except dnaio.FileFormatError as dnaio_error:
        where = None if dnaio_error.line is None else line + dnaio_error.line
        error = InputFormatError(_shortened(dnaio_error.message), str(path), where)
    names = [record.name for record in records]
    bases = [record.sequence.translate(BASES_TEXT) for record in records]
    qualities = [(record.qualities or "").encode("ascii", "replace") for record in records]
    return (names, bases, qualities), error


def _first_bad_quality(qualities: list[bytes]) -> tuple[int, int] | None:
    """(index of the first quality line with a byte that is no quality, that byte) or None."""
    if not b"".join(qualities).translate(None, QUALITY_CHARACTERS):
        return None
    for index, quality in enumerate(qualities):
        if others := quality.translate(None, QUALITY_CHARACTERS):
            return index, others[0]
    return None


def _bad_quality(path: Path, line: int, byte: int) -> InputFormatError:
    shown = repr(chr(byte)) if byte < 128 else f"byte {byte:#04x}"
    message = f"quality {shown} is not a Phred+33 quality character ('!' to '~')"
    return InputFormatError(message, str(path), line)


def _shortened(message: str) -> str:
    """dnaio's message with what it quotes cut to MAX_QUOTE characters."""
    head, quote_mark, quoted = message.partition(": '")
    if not quote_mark or len(quoted) <= MAX_QUOTE:
        return message
    return f"{head}: '{quoted[:MAX_QUOTE]}...' ({len(quoted)} characters)"


def too_long(path: Path, line: int, length: int, max_read_length: int) -> InputFormatError:
    message = f"read of {length} nucleotides is longer than max_read_length={max_read_length}"
    return InputFormatError(message, str(path), line)
