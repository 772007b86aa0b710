"""Receiving sample files: streamed to disk, resumable, hashed, checked, never held in memory.

A file arrives in `sequences_dir/<sample id>_<n>.part`; the name comes from ids only, never
from what a user typed. Each request appends at the size the part already has, so a dropped
connection keeps what was written and the client resends from `received`. The SHA-256 runs over
the bytes as they are written (after re-reading the existing part on a resume), both in
`part_writer.py`. When the last
byte is in, the file is checked with `reads.check_reads_file` (and `check_pair` for the second
file of a pair), then renamed to `<sample id>_<n>.fastq[.gz]` or `.fasta[.gz]` after its content.
A bad file is removed and the sample marked `invalid`; the other file of a pair stays. A
`.vidjil` of several samples becomes one sample each (`vidjil_samples.py`).

The finish (check, rename, record) runs when the last byte arrives. When it fails on our side
(a 5xx), every byte stays in the part, so the client's resume asks for the finish alone: an
empty body at `?offset=<size>`. Asked again once it succeeded (its answer lost), the finish
answers the same status instead of a conflict.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import anyio
import anyio.to_thread

from vidjil_local.db import Database
from vidjil_local.db.samples import SampleStatus, file_name
from vidjil_local.errors import Conflict, InputFormatError, NotFound, UsageError, VidjilError
from vidjil_local.reads import check_pair, check_reads_file
from vidjil_local.services import audit
from vidjil_local.services.authz import Principal
from vidjil_local.services.disk import check_free_space
from vidjil_local.services.samples import part_check, part_writer, samples, vidjil_samples
from vidjil_local.services.samples.byte_ranges import ByteRange, check_size
from vidjil_local.services.samples.file_checks import renamed, result_file_suffix
from vidjil_local.settings import Settings

log = logging.getLogger(__name__)
CHECK_RECORDS: int | None = None  # check every record on arrival: a broken gzip tail is common
_receiving: set[Path] = set()  # parts being written by a request of this process
_finishing_guard = threading.Lock()
_finishing_locks: dict[int, threading.Lock] = {}


class UploadInterrupted(VidjilError):
    """The client went away mid-file; what arrived is kept for a resume (the API raises it
    from the request stream)."""

    code = "upload_interrupted"


class UncheckedFile(VidjilError):
    """Checking a complete file failed on our side; the sample is marked invalid, not left
    uploading."""

    code = "unchecked_file"
    http_status = 500


class ChecksumMismatch(VidjilError):
    """The bytes received are not the file the client meant to send."""

    code = "checksum_mismatch"
    http_status = 422


@dataclass(frozen=True)
class UploadStatus:
    sample_id: int
    number: int
    received: int
    complete: bool
    size: int | None
    sha256: str | None
    sample_status: str


def part_path(settings: Settings, sample_id: int, number: int) -> Path:
    return settings.sequences_dir / f"{sample_id}_{number}.part"


def status(
    database: Database, settings: Settings, principal: Principal, sample_id: int, number: int
) -> UploadStatus:
    samples.require_on_sample(database, principal, "read", sample_id)
    row = samples.row_of(database.db(), sample_id)
    _check_number(row, number)
    stored = samples.file_path(settings, row, number)
    if stored is not None:
        size = row["size"] if number == 1 else row["size2"]
        digest = row["sha256"] if number == 1 else row["sha256_2"]
        return UploadStatus(sample_id, number, size, True, size, digest, row["status"])
    part = part_path(settings, sample_id, number)
    received = part.stat().st_size if part.exists() else 0
    return UploadStatus(sample_id, number, received, False, None, None, row["status"])


def _check_number(row: dict[str, Any], number: int) -> None:
    if number not in (1, 2) or (number == 2 and row["original_name2"] is None):
        raise NotFound(f"sample {row['id']} has no file {number}", sample_id=row["id"])


async def receive(
    database: Database,
    settings: Settings,
    actor: audit.Actor,
    principal: Principal,
    sample_id: int,
    number: int,
    *,
    chunks: AsyncIterator[bytes],
    byte_range: ByteRange,
    length: int | None,
    expected_sha256: str | None = None,
) -> UploadStatus:
    """Write the request's bytes at `byte_range.start` of file `number`; check and record the
    file when it is complete (refused if the client gave another SHA-256 than what arrived)."""
    await anyio.to_thread.run_sync(
        samples.require_on_sample, database, principal, "upload", sample_id
    )
    part = part_path(settings, sample_id, number)
    if part in _receiving:  # checked and taken with no await between: one writer per part
        raise Conflict(f"file {number} of sample {sample_id} is already being received")
    _receiving.add(part)
    following: part_check.FollowingCheck | None = None
    try:
        repeated = await anyio.to_thread.run_sync(
            _prepare, database, settings, principal, sample_id, number, byte_range, length
        )
        if repeated:  # a finish asked again after its answer was lost: the same answer
            return status(database, settings, principal, sample_id, number)
        await anyio.to_thread.run_sync(_start_part, database, actor, sample_id, part, byte_range)
        size = byte_range.total if byte_range.total is not None else length
        following = part_check.follow(part, byte_range.start, size, CHECK_RECORDS)
        digest = await part_writer.append(settings, part, byte_range.start, chunks)
        done = byte_range.total is None or part.stat().st_size >= byte_range.total
        if not done:
            return status(database, settings, principal, sample_id, number)
        await part_writer.make_durable(part)
        if expected_sha256 is not None and expected_sha256.lower() != digest:
            mismatch = ChecksumMismatch(
                f"the file received has SHA-256 {digest}, not {expected_sha256}: send it again",
                received_sha256=digest,
            )
            await anyio.to_thread.run_sync(_refuse, database, actor, sample_id, part, mismatch)
        checked = Checked(digest, byte_range.total, following)
        await anyio.to_thread.run_sync(
            _finish, database, settings, actor, sample_id, number, checked
        )
    finally:
        _receiving.discard(part)
        if following is not None:
            following.stop()
    return status(database, settings, principal, sample_id, number)


def _prepare(
    database: Database,
    settings: Settings,
    principal: Principal,
    sample_id: int,
    number: int,
    byte_range: ByteRange,
    length: int | None,
) -> bool:
    """Check that the request's bytes may go into the part; True for a finish (no bytes) of a
    file already received, to be answered as the first one was."""
    samples.require_on_sample(database, principal, "upload", sample_id)
    row = samples.row_of(database.db(), sample_id)
    _check_number(row, number)
    if row["status"] == SampleStatus.DELETED or row["network"]:
        raise Conflict(f"sample {sample_id} takes no upload (it is {_what(row)})")
    if samples.file_path(settings, row, number) is not None:
        if length == 0 and byte_range.start > 0:
            return True
        raise Conflict(f"file {number} of sample {sample_id} was already received")
    part = part_path(settings, sample_id, number)
    received = part.stat().st_size if part.exists() else 0
    if byte_range.start not in (0, received):
        raise Conflict(
            f"file {number} of sample {sample_id} has {received} bytes: send from there",
            received=received,
        )
    announced = length if length is not None else 0
    if byte_range.total is not None:
        announced = max(announced, byte_range.total - byte_range.start)
    check_size(settings, byte_range.start + announced)
    check_free_space(settings, announced)
    return False


def _what(row: dict[str, Any]) -> str:
    return "deleted" if row["status"] == SampleStatus.DELETED else "linked from the file source"


def _start_part(
    database: Database, actor: audit.Actor, sample_id: int, part: Path, byte_range: ByteRange
) -> None:
    """Truncate the part for a fresh start, and mark the sample as uploading (a pair with a
    refused file stays refused, its message shown, until both files are in)."""
    if byte_range.start == 0:
        part.parent.mkdir(parents=True, exist_ok=True)
        part.write_bytes(b"")
        part_writer.forget(part)
    with database.write() as db:
        db.execute(
            "UPDATE samples SET status = ?, status_message = '' WHERE id = ? "
            "AND NOT (status = ? AND original_name2 IS NOT NULL)",
            [SampleStatus.UPLOADING, sample_id, SampleStatus.INVALID],
        )
        action = "upload_resumed" if byte_range.start else "upload_started"
        audit.record(
            db, actor, action, "samples", sample_id, file=part.stem, offset=byte_range.start
        )


@dataclass(frozen=True)
class Checked:
    """What is known of a complete part: its SHA-256, the size announced, and the format check
    that followed its arrival (None: check it now)."""

    digest: str
    total: int | None
    following: part_check.FollowingCheck | None


def _finish(
    database: Database,
    settings: Settings,
    actor: audit.Actor,
    sample_id: int,
    number: int,
    checked: Checked,
) -> None:
    with _finishing(sample_id):  # the two files of a pair must not both miss each other
        _finish_part(database, settings, actor, sample_id, number, checked)


@contextmanager
def _checker_crash_refuses(
    database: Database, actor: audit.Actor, sample_id: int, path: Path
) -> Iterator[None]:
    """A checker's own crash (not a bad file) refuses the file too: the sample must not stay
    `uploading` for ever. Only around the checks: a failure to record a checked file is a
    kill's case, put right at the next start (`leftovers.py`)."""
    try:
        yield
    except VidjilError:
        raise
    except Exception:
        log.exception("checking %s of sample %s failed", path.name, sample_id)
        unchecked = UncheckedFile(
            "the file could not be checked (an error of vidjil-local, described in the "
            "server log): send it again, or report it if it happens again"
        )
        _refuse(database, actor, sample_id, path, unchecked)


def _finishing(sample_id: int) -> threading.Lock:
    with _finishing_guard:
        return _finishing_locks.setdefault(sample_id, threading.Lock())


def _finish_part(
    database: Database,
    settings: Settings,
    actor: audit.Actor,
    sample_id: int,
    number: int,
    checked: Checked,
) -> None:
    part = part_path(settings, sample_id, number)
    total = checked.total
    row = samples.row_of(database.db(), sample_id)
    if row["status"] == SampleStatus.DELETED or not part.exists():
        raise Conflict(f"sample {sample_id} was deleted during the upload")
    size = part.stat().st_size
    original = str(file_name(row, number))
    if total is not None and size != total:
        _refuse(database, actor, sample_id, part, UsageError(f"got {size} bytes, not {total}"))
    with _checker_crash_refuses(database, actor, sample_id, part):
        suffix = _checked_suffix(database, actor, sample_id, part, original, checked.following)
    split = vidjil_samples.split_upload  # a .vidjil of several samples makes one sample each
    if suffix == ".vidjil" and split(database, settings, actor, row, part, checked.digest):
        return
    final = settings.sequences_dir / f"{sample_id}_{number}{suffix}"
    if final.exists():
        raise Conflict(f"{final.name} already exists: it will not be overwritten")
    part.rename(final)
    try:
        _check_mate(database, settings, actor, row, number, final)
        _record(database, actor, row, number, final.name, size, checked.digest)
    except BaseException:
        if final.exists() and not part.exists():  # not recorded: the finish may be asked again
            final.rename(part)
        raise


def _checked_suffix(
    database: Database,
    actor: audit.Actor,
    sample_id: int,
    part: Path,
    original: str,
    following: part_check.FollowingCheck | None,
) -> str:
    """The stored suffix of a complete part after its content (checked as it arrived by
    `following`, or now); a bad file is refused."""
    try:
        if following is not None:
            info = following.outcome()
        else:
            info = check_reads_file(part, CHECK_RECORDS)
        return (".fastq" if info.format == "fastq" else ".fasta") + (
            ".gz" if info.compressed else ""
        )
    except InputFormatError as error:
        try:
            suffix = result_file_suffix(part)
        except InputFormatError as import_error:
            _refuse(database, actor, sample_id, part, renamed(import_error, {part: original}))
        if not suffix:
            _refuse(database, actor, sample_id, part, renamed(error, {part: original}))
        return suffix


def _check_mate(
    database: Database,
    settings: Settings,
    actor: audit.Actor,
    row: dict[str, Any],
    number: int,
    final: Path,
) -> None:
    """For a pair, once both files are in: refuse this file if its reads are not mates."""
    other = samples.file_path(settings, row, 2 if number == 1 else 1)
    if row["original_name2"] is None or other is None:
        return
    first, second = (final, other) if number == 1 else (other, final)
    names = {first: str(file_name(row, 1)), second: str(row["original_name2"])}
    with _checker_crash_refuses(database, actor, row["id"], final):
        try:
            check_pair(first, second, CHECK_RECORDS)
        except InputFormatError as error:
            _refuse(database, actor, row["id"], final, renamed(error, names))


def _refuse(
    database: Database, actor: audit.Actor, sample_id: int, path: Path, error: VidjilError
) -> NoReturn:
    path.unlink(missing_ok=True)
    with database.write() as db:
        db.execute(
            "UPDATE samples SET status = ?, status_message = ? WHERE id = ?",
            [SampleStatus.INVALID, error.message, sample_id],
        )
        audit.record(db, actor, "upload_refused", "samples", sample_id, reason=error.message)
    raise error


def _record(
    database: Database,
    actor: audit.Actor,
    row: dict[str, Any],
    number: int,
    stored_name: str,
    size: int,
    digest: str,
) -> None:
    suffix = "" if number == 1 else "2"
    fields = {f"stored_name{suffix}": stored_name, f"size{suffix}": size}
    fields["sha256" if number == 1 else "sha256_2"] = digest
    other_in = (
        row["original_name2"] is None or row["stored_name2" if number == 1 else "stored_name"]
    )
    with database.write() as db:
        refused = samples.row_of(db, row["id"])["status"] == SampleStatus.INVALID
        if other_in or not refused:  # a refused mate stays shown until it is sent again
            fields["status"] = SampleStatus.READY if other_in else SampleStatus.UPLOADING
            fields["status_message"] = ""
        db.table("samples").update(row["id"], fields)
        audit.record(
            db,
            actor,
            "upload_completed",
            "samples",
            row["id"],
            file=number,
            size=size,
            sha256=digest,
        )
