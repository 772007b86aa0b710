"""Check a big upload while it arrives, on another core: the format check of a whole file costs
more CPU than receiving it, so done after the last byte it would halve the upload's speed.

A spawned process runs `reads.check_reads_file` on the `.part` as it grows (`grows_to`: reads
wait at its end for more bytes); the upload, once complete, takes the outcome instead of reading
the file again. A cut upload stops the process; so does the end of its parent (a kill -9). Files
under `FOLLOW_FROM` bytes, and resumed uploads, are checked after arrival as before.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from vidjil_local.errors import InputFormatError
from vidjil_local.reads import ReadsFileInfo, check_reads_file

FOLLOW_FROM = 32 * 1024 * 1024  # smaller files: a process start costs more than it saves


class FollowingCheck:
    """`check_reads_file(part, max_records)` in its own process, following the part's growth
    up to `size` bytes."""

    def __init__(self, part: Path, size: int, max_records: int | None) -> None:
        context = multiprocessing.get_context("spawn")
        self._answers, sending = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_check_following,
            args=(str(part), size, max_records, sending),
            name=f"check {part.name}",
            daemon=True,
        )
        self._process.start()
        sending.close()

    def outcome(self) -> ReadsFileInfo:
        """The check's result once the file is complete (blocks); `InputFormatError` as the
        check raised it, or a crash of the process as an error to show."""
        try:
            kind, payload = self._answers.recv()
        except EOFError:
            raise InputFormatError("the format check stopped unexpectedly", "upload") from None
        finally:
            self.stop()
        if kind == "error":
            message, path, line, details = payload
            raise InputFormatError(message, path, line, **details)
        info: ReadsFileInfo = payload
        return info

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join(timeout=10)
        self._answers.close()


def follow(
    part: Path, start: int, size: int | None, max_records: int | None
) -> FollowingCheck | None:
    """A following check for a whole file of known, big `size` sent from its first byte."""
    if start or size is None or size < FOLLOW_FROM:
        return None
    return FollowingCheck(part, size, max_records)


def _check_following(path: str, size: int, max_records: int | None, answers: Connection) -> None:
    answer: tuple[str, Any]
    try:
        answer = ("info", check_reads_file(Path(path), max_records, grows_to=size))
    except InputFormatError as error:
        reason = error.message.removeprefix(
            f"{error.path}:{error.line}: " if error.line is not None else f"{error.path}: "
        )
        details = {k: v for k, v in error.details.items() if k not in ("path", "line")}
        answer = ("error", (reason, error.path, error.line, details))
    answers.send(answer)
    answers.close()
