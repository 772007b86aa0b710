"""A zip file written as a stream: the standard library's `zipfile` on a sink that is emptied after
every megabyte, so a set's archive (reads files included) never sits in memory nor on disk.

On an unseekable output `zipfile` writes each member's sizes after its data (data descriptors),
which every zip reader understands. Compressed inputs (`.gz`) are stored as they are.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

PIECE = 1024 * 1024
STORED_SUFFIXES = (".gz", ".zip", ".bz2", ".xz", ".zst")


class _Sink(io.RawIOBase):
    """Collects what zipfile writes until it is taken; it cannot seek nor tell."""

    def __init__(self) -> None:
        self._pieces: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self._pieces.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._pieces)
        self._pieces.clear()
        return data


class ZipStream:
    def __init__(self) -> None:
        self._sink = _Sink()
        self._zip = zipfile.ZipFile(self._sink, "w", compression=zipfile.ZIP_DEFLATED)

    def add_file(self, name: str, source: Path) -> Iterator[bytes]:
        info = zipfile.ZipInfo.from_file(source, name)
        stored = source.name.lower().endswith(STORED_SUFFIXES)
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        with source.open("rb") as reading, self._zip.open(info, "w", force_zip64=True) as entry:
            while block := reading.read(PIECE):
                entry.write(block)
                yield self._sink.take()
        yield self._sink.take()

    def add_text(self, name: str, text: str) -> Iterator[bytes]:
        self._zip.writestr(name, text.encode("utf-8"))
        yield self._sink.take()

    def close(self) -> Iterator[bytes]:
        self._zip.close()
        yield self._sink.take()
