"""Write a file so that readers see either the old content or the whole new one, never a part."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

TEMPORARY_SUFFIX = ".writing"  # a process killed mid-write leaves `.<name>.<random>.writing`


@contextmanager
def atomic_text_file(path: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """Yield a temporary file next to `path`, moved over `path` only if the block succeeds."""
    with _atomic(path, "w", encoding="utf-8", newline="") as handle:
        yield handle


@contextmanager
def atomic_binary_file(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """`atomic_text_file` for bytes (a gzip stream, for one)."""
    with _atomic(path, "wb") as handle:
        yield handle


def unfinished_writes(folder: Path) -> Iterator[Path]:
    """Temporary files of writes that never finished (their process was killed), under `folder`."""
    return (path for path in folder.rglob(f".*{TEMPORARY_SUFFIX}") if path.is_file())


@contextmanager
def _atomic(path: str | os.PathLike[str], mode: str, **options: Any) -> Iterator[Any]:
    target = Path(path)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=TEMPORARY_SUFFIX, dir=target.parent
    )
    try:
        with os.fdopen(descriptor, mode, **options) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
