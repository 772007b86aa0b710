"""A non-blocking exclusive lock on an open file, on POSIX (flock) and Windows (msvcrt): the one
instance per data folder (launcher) and the one backup writer per backup folder use it."""

from __future__ import annotations

import sys
from typing import IO, Any


def try_exclusive_lock(handle: IO[Any]) -> bool:
    """Lock the file, or answer False when another process holds it. Any other failure (e.g. a
    network share without locks) is raised: each caller judges whether it may go on without."""
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
