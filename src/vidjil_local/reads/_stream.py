"""Open a reads file as a guarded byte stream, sniffing its format from its content.

The file name is never trusted: a `.gz` name holding plain text and gzip data under a plain
name both work. The parsers read it through a `GuardedReader`, which keeps memory flat on
hostile input (a line of gigabytes, binary junk) by refusing it early.
"""

from __future__ import annotations

import io
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, cast

from isal import igzip, isal_zlib

from vidjil_local.errors import InputFormatError

Format = Literal["fasta", "fastq"]

GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = b"\xef\xbb\xbf"
# What isal raises on corrupt deflate data (its stub declares an instance, not a class).
GZIP_DATA_ERROR = cast(type[Exception], isal_zlib.error)
BLOCK_SIZE = 128 * 1024
# Room for the header and line breaks of a record whose sequence is at the length limit.
LINE_SLACK = 64 * 1024
GROWTH_POLL = 0.01  # seconds between looks at a growing file's end
STALL_SECONDS = 120.0

_OTHER_COMPRESSIONS = {
    b"BZh": "bzip2",
    b"\x5d\x00\x00": "lzma",  # the legacy "LZMA alone" format (.lzma files)
    b"\xfd7zXZ\x00": "xz",
    b"\x28\xb5\x2f\xfd": "zstd",
    b"PK\x03\x04": "zip",
}

_INSIDE_GZIP = {GZIP_MAGIC: "gzip", **_OTHER_COMPRESSIONS}


def _compression_of(start: bytes, magics: dict[bytes, str]) -> str | None:
    """The name of the compression whose magic number `start` begins with, if any."""
    return next((name for magic, name in magics.items() if start.startswith(magic)), None)


def gzip_problem(error: BaseException) -> str:
    """What a gzip reader's error means, in words a user can act on."""
    text = str(error)
    if text.startswith("Not a gzipped file"):  # bytes after the last gzip member
        return f"the gzip data is followed by bytes that are not gzip ({text}): a damaged file?"
    return text


TRUNCATED_GZIP = "truncated gzip: the file ends too early"
INFLATE_CHUNK = 1024 * 1024  # decompressed bytes looked at (and dropped) per step


def gzip_ending_problem(path: Path) -> str:
    """Why a gzip reader found `path` ending too early: truly cut short, or a few bytes that are
    not gzip after its last complete member (too few for a gzip header, so the reader takes them
    for a cut member). Reads the file once more: only on that error."""
    try:
        trailing = _bytes_after_gzip(path)
    except (OSError, GZIP_DATA_ERROR):
        trailing = None
    if trailing:
        count = "1 byte that is" if trailing == 1 else f"{trailing} bytes that are"
        return f"the gzip data is followed by {count} not gzip: a damaged file?"
    return TRUNCATED_GZIP


def _bytes_after_gzip(path: Path) -> int | None:
    with path.open("rb") as raw:
        data = raw.read(BLOCK_SIZE)
        inflater = isal_zlib.decompressobj(wbits=31)
        while data:
            inflater.decompress(data, INFLATE_CHUNK)
            data = inflater.unconsumed_tail
            if inflater.eof:  # a member ended: what follows must be another member or nothing
                data = inflater.unused_data + raw.read(BLOCK_SIZE)
                if not data:
                    return None
                if not data.startswith(GZIP_MAGIC[: len(data)]):
                    return len(data) + len(raw.read())
                inflater = isal_zlib.decompressobj(wbits=31)
            elif not data:
                data = raw.read(BLOCK_SIZE)
    return None


class LineTooLong(Exception):
    """A line (or a FASTA record) too long to be a read; `InputFormatError` for the caller."""

    def __init__(self, line: int | None, limit: int, what: str = "line") -> None:
        super().__init__(f"{what} at line {line} is longer than {limit} bytes")
        self.line = line
        self.limit = limit
        self.what = what


class BadByte(Exception):
    """A byte that no FASTA or FASTQ file holds (NUL)."""

    def __init__(self, line: int | None, what: str) -> None:
        super().__init__(f"{what} at line {line}")
        self.line = line
        self.what = what


class GuardedReader:
    """Blocks of a byte stream, refusing lines longer than `line_limit` and NUL bytes.

    Lines are not counted while reading (that would cost a good part of the parsing time); on
    an error the stream is re-read from its start up to the offending byte to name the line.
    """

    def __init__(self, source: io.BufferedIOBase, line_limit: int) -> None:
        self._source = source
        self._line_limit = line_limit
        self._first_block = b""
        self._offset = 0  # bytes handed out before the current block
        self._line_start = 0  # offset of the first byte after the last line break

    def peek_block(self) -> bytes:
        """Return the first bytes of the stream without consuming them."""
        if not self._first_block and self._offset == 0:
            self._first_block = self._source.read(BLOCK_SIZE)
        return self._first_block

    def skip(self, count: int) -> None:
        """Drop the first `count` bytes of the block returned by `peek_block`."""
        self._first_block = self._first_block[count:]
        self._offset += count

    def read_block(self) -> bytes:
        """The next block of at most BLOCK_SIZE bytes; empty at the end of the stream."""
        if self._first_block:
            block, self._first_block = self._first_block, b""
        else:
            block = self._source.read(BLOCK_SIZE)
        self._check(block)
        self._offset += len(block)
        return block

    def _check(self, block: bytes) -> None:
        nul = block.find(b"\x00")
        if nul != -1:
            where = self._line_at(self._offset + nul)
            raise BadByte(where, "not FASTA/FASTQ: binary data (NUL byte)")
        last_break = block.rfind(b"\n")
        first_break = block.find(b"\n") if last_break != -1 else len(block)
        if self._offset + first_break - self._line_start > self._line_limit:
            raise LineTooLong(self._line_at(self._line_start), self._line_limit)
        if last_break != -1:
            self._line_start = self._offset + last_break + 1

    def _line_at(self, offset: int) -> int | None:
        """The 1-based line holding byte `offset`, by reading the stream again from its start."""
        try:
            self._source.seek(0)
            breaks = 0
            while offset > 0 and (data := self._source.read(min(offset, BLOCK_SIZE))):
                breaks += data.count(b"\n")
                offset -= len(data)
            return breaks + 1
        except (OSError, EOFError, ValueError):
            return None


@dataclass
class OpenedReads:
    """A reads file opened for parsing; close it (or use `with`) to release the file."""

    path: Path
    format: Format | None  # None for an empty file
    compressed: bool
    total_bytes: int
    reader: GuardedReader
    _raw: io.BufferedReader
    _decompressed: io.BufferedIOBase | None

    def position(self) -> int:
        """Bytes of the stored file consumed so far (compressed bytes for gzip)."""
        return min(self._raw.tell(), self.total_bytes)

    def close(self) -> None:
        if self._decompressed is not None:
            self._decompressed.close()
        self._raw.close()

    def __enter__(self) -> OpenedReads:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class GrowingFile(io.FileIO):
    """A file still being written, read as if whole: at its current end, a read waits for more
    until the file has `size` bytes (an upload being checked while it arrives). It gives up
    (end of file) when the file stops growing for `stall_seconds` or the process that started
    this one is gone."""

    def __init__(self, path: Path, size: int, stall_seconds: float) -> None:
        super().__init__(path, "rb")
        self.size = size
        self.stall_seconds = stall_seconds
        self.parent = os.getppid()

    def readinto(self, buffer: Any) -> int:
        waited = 0.0
        while True:
            count = super().readinto(buffer) or 0
            if count or self.tell() >= self.size or waited >= self.stall_seconds:
                return count
            if os.getppid() != self.parent:
                return 0
            time.sleep(GROWTH_POLL)
            waited += GROWTH_POLL


def open_reads(path: Path, line_limit: int, grows_to: int | None = None) -> OpenedReads:
    """Open `path`, detect gzip and FASTA/FASTQ from its bytes; raise `InputFormatError`.
    With `grows_to`, the file is still being written up to that size (`GrowingFile`)."""
    try:
        # A FIFO would block open() until a writer comes: look before opening.
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise InputFormatError("cannot open: not a regular file", str(path))
        raw: io.BufferedReader
        if grows_to is not None:
            raw = io.BufferedReader(GrowingFile(path, grows_to, STALL_SECONDS))
        else:
            raw = open(path, "rb")  # noqa: SIM115 - closed by OpenedReads.close
    except OSError as error:
        raise InputFormatError(f"cannot open: {error.strerror or error}", str(path)) from None
    try:
        return _open_raw(path, raw, line_limit)
    except OSError as error:  # not a regular file (a pipe cannot seek, for example)
        raw.close()
        raise InputFormatError(f"cannot read: {error}", str(path)) from None
    except BaseException:
        raw.close()
        raise


def _open_raw(path: Path, raw: io.BufferedReader, line_limit: int) -> OpenedReads:
    growing = raw.raw if isinstance(raw.raw, GrowingFile) else None
    total_bytes = growing.size if growing is not None else os.fstat(raw.fileno()).st_size
    magic = raw.read(8)
    raw.seek(0)
    if name := _compression_of(magic, _OTHER_COMPRESSIONS):
        message = f"not FASTA/FASTQ: {name}-compressed data (only gzip is supported)"
        raise InputFormatError(message, str(path))
    compressed = magic.startswith(GZIP_MAGIC)
    decompressed = _gzip_reader(raw) if compressed else None
    reader = GuardedReader(decompressed or raw, line_limit)
    try:
        first_block = read_first_block(path, reader, compressed)
        if first_block.startswith(UTF8_BOM):  # as some Windows editors write
            reader.skip(len(UTF8_BOM))
            first_block = first_block[len(UTF8_BOM) :]
        if compressed and (name := _compression_of(first_block, _INSIDE_GZIP)):
            message = f"{name}-compressed data inside gzip: the file was compressed twice"
            raise InputFormatError(message, str(path))
        file_format = _sniff(path, first_block)
    except BaseException:
        if decompressed is not None:
            decompressed.close()
        raise
    return OpenedReads(path, file_format, compressed, total_bytes, reader, raw, decompressed)


def _gzip_reader(raw: io.BufferedReader) -> io.BufferedIOBase:
    return igzip.IGzipFile(fileobj=raw)  # type: ignore[no-untyped-call]


def read_first_block(path: Path, reader: GuardedReader, compressed: bool) -> bytes:
    try:
        return reader.peek_block()
    except EOFError:
        raise InputFormatError(gzip_ending_problem(path), str(path)) from None
    except (OSError, GZIP_DATA_ERROR) as error:
        problem = (
            f"broken gzip data: {gzip_problem(error)}" if compressed else f"cannot read: {error}"
        )
        raise InputFormatError(problem, str(path)) from None


def _sniff(path: Path, first_block: bytes) -> Format | None:
    """Tell FASTA from FASTQ by the first character that is not blank."""
    if not first_block:
        return None
    start = first_block.lstrip(b" \t\r\n")[:1]
    if start == b">":
        return "fasta"
    if start == b"@":
        return "fastq"
    if not start:
        raise InputFormatError("not FASTA/FASTQ: the file starts with blank lines only", str(path))
    raise InputFormatError(
        f"not FASTA/FASTQ: starts with {start!r}, expected '>' (FASTA) or '@' (FASTQ)",
        str(path),
        line=first_block[: first_block.index(start)].count(b"\n") + 1,
    )
