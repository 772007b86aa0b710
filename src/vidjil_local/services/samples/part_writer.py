"""Append a request body to a `.part` file, hashing it, without holding the event loop or memory.

The event loop only queues the chunks it receives (a bounded queue: memory stays flat whatever
the file size, and a slow disk slows the client down); one writer task takes every chunk
queued so far and writes and hashes them in a worker thread with a single `writev` (SHA-256 and
the write release the GIL, so receiving goes on meanwhile). Under load the batches grow and the
thread hops stay few; on a quiet upload each chunk is written as it arrives, so what the upload
status reports (the part's size) is what reached the server, and a dropped connection keeps it.

The file is made durable (`fsync`) before it is recorded: a power cut must not leave a `ready`
sample pointing at lost bytes. Only once, with its last bytes: syncing every 64 MB while the file
arrived (or each range of a file sent in ranges) made the writer wait for the disk each time and
halved a 1 GB upload's speed here (benchmarks/RESULTS.md); the kernel writes back meanwhile.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, NoReturn

import anyio
import anyio.to_thread
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from vidjil_local.services.disk import DiskFull, check_free_space
from vidjil_local.settings import Settings

QUEUED_CHUNKS = 64  # chunks waiting for the writer (uvicorn's are <= 256 KB: <= 16 MB queued)
BATCH_CHUNKS = 256  # at most this many buffers in one writev (IOV_MAX is 1024 on Linux)
HASH_BLOCK = 1024 * 1024
DISK_CHECK_EVERY = 256 * 1024 * 1024
FULL = (errno.ENOSPC, errno.EDQUOT)


class _Writer:
    """The writing end: file descriptor, running hash, and what went wrong."""

    def __init__(self, settings: Settings, descriptor: int, hasher: Any) -> None:
        self.settings = settings
        self.descriptor = descriptor
        self.hasher = hasher
        self.written = 0
        self.error: Exception | None = None

    async def drain(self, queue: MemoryObjectReceiveStream[bytes]) -> None:
        """Write what the queue brings until it is closed; on a write error, stop and close it
        (the receiving side then stops too)."""
        async with queue:
            async for first in queue:
                batch = [first, *_queued(queue)]
                try:
                    await anyio.to_thread.run_sync(self.write, batch)
                except Exception as error:  # raised by `append` once the queue is written
                    self.error = error
                    return

    def write(self, batch: list[bytes]) -> None:
        for chunk in batch:
            self.hasher.update(chunk)
        size = sum(map(len, batch))
        _writev_all(self.descriptor, batch, size)
        before, self.written = self.written, self.written + size
        if before // DISK_CHECK_EVERY != self.written // DISK_CHECK_EVERY:
            check_free_space(self.settings)


def _queued(queue: MemoryObjectReceiveStream[bytes]) -> list[bytes]:
    """The chunks already waiting (at most a batch), without waiting for more."""
    found: list[bytes] = []
    while len(found) < BATCH_CHUNKS - 1:
        try:
            found.append(queue.receive_nowait())
        except (anyio.WouldBlock, anyio.EndOfStream):
            break
    return found


def _writev_all(descriptor: int, batch: list[bytes], size: int) -> None:
    """writev until every byte is written (a write may be partial)."""
    views = [memoryview(chunk) for chunk in batch if chunk]
    while size:
        count = os.writev(descriptor, views)
        size -= count
        while views and count >= len(views[0]):
            count -= len(views.pop(0))
        if count:
            views[0] = views[0][count:]


async def _pump(chunks: AsyncIterator[bytes], queue: MemoryObjectSendStream[bytes]) -> None:
    async with queue:
        async for chunk in chunks:
            try:
                await queue.send(chunk)
            except anyio.BrokenResourceError:  # the writer stopped on an error
                return


async def append(settings: Settings, part: Path, start: int, chunks: AsyncIterator[bytes]) -> str:
    """Append the chunks to the part, hashing the whole file (the bytes already there too when
    `start` > 0); return its hex SHA-256. A client going away mid-body (an exception from
    `chunks`) is raised once every byte that arrived is written."""
    hashed_to, hasher = _hashed.pop(part, (0, None))
    if hasher is None or hashed_to != start:
        hasher = hashlib.sha256()
        if start:
            await anyio.to_thread.run_sync(_hash_existing, hasher, part)
    descriptor = os.open(part, os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC)
    try:
        writer = _Writer(settings, descriptor, hasher)
        cut: BaseException | None = None
        sending, receiving = anyio.create_memory_object_stream[bytes](QUEUED_CHUNKS)
        async with anyio.create_task_group() as group:
            group.start_soon(writer.drain, receiving)
            try:
                await _pump(chunks, sending)
            except Exception as error:  # raised below, once the queue is written
                cut = error
        if writer.error is not None:
            _raise_disk_full_or(writer.error)
        _remember(part, descriptor, start + writer.written, writer.hasher)
        if cut is not None:
            raise cut
    finally:
        os.close(descriptor)
    return str(writer.hasher.hexdigest())


# The SHA-256 state at the end of each part's last request, so that the next range of a file
# sent in many requests (the browser client sends 8 MB ranges) does not hash the whole part
# again: that made a 1 GB upload hash 64 GB. Kept only when every byte hashed was written.
_hashed: dict[Path, tuple[int, Any]] = {}


def _remember(part: Path, descriptor: int, size: int, hasher: Any) -> None:
    if os.fstat(descriptor).st_size == size:
        _hashed[part] = (size, hasher.copy())


def forget(part: Path) -> None:
    """The part is complete, removed or started again: its hash state is of no use."""
    _hashed.pop(part, None)


async def make_durable(part: Path) -> None:
    """The whole file is there: `fsync` it before it is recorded (once per file; the ranges
    before are not synced: a power cut then at worst loses bytes the client resends, and zeros
    a disk may leave are refused by the format check as NUL bytes)."""
    forget(part)
    descriptor = os.open(part, os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC)
    try:
        await anyio.to_thread.run_sync(os.fsync, descriptor)
    except OSError as error:
        _raise_disk_full_or(error)
    finally:
        os.close(descriptor)


def _raise_disk_full_or(error: Exception) -> NoReturn:
    if isinstance(error, OSError) and error.errno in FULL:
        raise DiskFull(
            "the data disk is full: the upload stopped, what arrived is kept; free some "
            "space (or ask an administrator), then resume it"
        ) from error
    raise error


def _hash_existing(hasher: Any, part: Path) -> None:
    with part.open("rb") as existing:
        while block := existing.read(HASH_BLOCK):
            hasher.update(block)
