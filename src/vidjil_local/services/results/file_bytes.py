"""Result files served from memory: the fused `.vidjil` the viewer fetches each time it opens.

Kept per (path, modification time, size) like the parsed files (`clone_lists.ResultFileCache`):
a new fuse writes a new file (renamed into place), so a changed file is read again. Files above
`LARGEST` are not kept: they are streamed from a handle opened here (a new fuse removes the old
file once its own is recorded, maybe while the old one is still being sent). The whole cache
holds at most `BUDGET` bytes, the least recently used going first. The entity tag is the file's
version, so a browser that has the file gets a 304.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from vidjil_local.errors import NotFound
from vidjil_local.services.results.clone_lists import file_version

LARGEST = 16 * 1024**2
BUDGET = 128 * 1024**2


@dataclass(frozen=True)
class StoredFile:
    path: Path
    etag: str  # quoted, as in the ETag header
    content: bytes | BinaryIO  # a file too large to keep is opened: whoever gets it closes it


class FileBytes:
    def __init__(self, largest: int = LARGEST, budget: int = BUDGET) -> None:
        self.largest, self.budget = largest, budget
        self._entries: OrderedDict[str, tuple[tuple[int, int], StoredFile]] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def cached(self, path: Path) -> StoredFile | None:
        """The file from memory when it is unchanged, else None (`get` reads it)."""
        version = file_version(path)
        with self._lock:
            entry = self._entries.get(str(path))
            if entry is not None and entry[0] == version:
                self._entries.move_to_end(str(path))
                return entry[1]
        return None

    def get(self, path: Path) -> StoredFile:
        """The file read now; a large one open for its reader (the version of the very file
        read either way)."""
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            raise NotFound(f"the result file {path.name} is missing", file=path.name) from None
        stat = os.fstat(handle.fileno())
        version = (stat.st_mtime_ns, stat.st_size)
        etag = f'"{version[0]:x}-{version[1]:x}"'
        if stat.st_size > self.largest:
            return StoredFile(path, etag, handle)
        with handle:
            content = handle.read()
        stored = StoredFile(path, etag, content)
        with self._lock:
            self._drop(str(path))
            self._entries[str(path)] = (version, stored)
            self._held += version[1]
            while self._held > self.budget:
                self._drop(next(iter(self._entries)))
        return stored

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._held -= entry[0][1]
