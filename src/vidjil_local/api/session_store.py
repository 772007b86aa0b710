"""The login sessions: files in the data folder (they outlive a restart), read from memory.

Litestar's `FileStore` reads the session file in a worker thread on every request, a third of the
server's time under 50 clients. This app is the only writer of its `sessions/` folder while it
runs (the instance lock; a restore runs with the app stopped), so the sessions it read or wrote
are kept in memory and every change still goes to the file: a logout or a rotation deletes both
at once, and an expired session is refused from memory as from the file. Unknown ids are not
remembered (a stranger's made-up cookies cannot fill the memory).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import timedelta
from os import PathLike
from pathlib import Path

from litestar.stores.base import StorageObject
from litestar.stores.file import FileStore

CAPACITY = 10_000  # sessions kept in memory; the least recently used fall back to their file


class CachedFileStore(FileStore):
    def __init__(self, path: PathLike[str], *, create_directories: bool = False) -> None:
        super().__init__(path, create_directories=create_directories)
        self._memory: OrderedDict[str, StorageObject] = OrderedDict()
        self._lock = threading.Lock()

    def _remember(self, key: str, stored: StorageObject) -> None:
        with self._lock:
            self._memory[key] = stored
            self._memory.move_to_end(key)
            while len(self._memory) > CAPACITY:
                self._memory.popitem(last=False)

    def _forget(self, key: str) -> None:
        with self._lock:
            self._memory.pop(key, None)

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        with self._lock:
            stored = self._memory.get(key)
        if stored is None:
            stored = self._read(key)
            if stored is None:
                return None
            self._remember(key, stored)
        if stored.expired:
            await self.delete(key)
            return None
        if renew_for and stored.expires_at:
            await self.set(key, value=stored.data, expires_in=renew_for)
        return stored.data

    async def set(
        self, key: str, value: str | bytes, expires_in: int | timedelta | None = None
    ) -> None:
        data = value.encode() if isinstance(value, str) else value
        await super().set(key, data, expires_in=expires_in)
        self._remember(key, StorageObject.new(data=data, expires_in=expires_in))

    async def delete(self, key: str) -> None:
        self._forget(key)
        await super().delete(key)

    async def delete_all(self) -> None:
        with self._lock:
            self._memory.clear()
        await super().delete_all()

    def _read(self, key: str) -> StorageObject | None:
        """The session's file, read here: a small local file costs less than a thread hop."""
        try:
            return StorageObject.from_bytes(Path(str(self._path_from_key(key))).read_bytes())
        except (FileNotFoundError, NotADirectoryError):
            return None
