"""Room on the data disk: uploads and analysis results are refused before it runs out, and the
administrators are told when that starts (`DiskWatch`)."""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

from vidjil_local.db import Database
from vidjil_local.errors import VidjilError
from vidjil_local.services import admin_alerts
from vidjil_local.settings import Settings


class DiskFull(VidjilError):
    """The data disk is nearly full: nothing more is accepted until space is freed."""

    code = "disk_full"
    http_status = 507


def disk_usage(path: Path) -> tuple[int, int, int]:
    """(total, used, free) bytes of the disk holding `path`; tests replace it."""
    usage = shutil.disk_usage(path)
    return usage.total, usage.used, usage.free


def check_free_space(settings: Settings, incoming: int = 0) -> None:
    """Refuse when the disk would keep less than `min_free_disk_percent` free after `incoming`
    more bytes."""
    total, _, free = disk_usage(settings.sequences_dir)
    left = free - incoming
    minimum = settings.min_free_disk_percent
    if total > 0 and left < 0:
        raise DiskFull(
            f"the data disk has {free / 1e6:.1f} MB free, not enough for the "
            f"{incoming / 1e6:.1f} MB announced: free some space or ask an administrator",
            free_bytes=free,
            incoming_bytes=incoming,
        )
    if total > 0 and left * 100 < minimum * total:
        raise DiskFull(
            f"the data disk is nearly full ({free * 100 / total:.1f}% free, "
            f"{minimum:g}% must stay free): free some space or ask an administrator",
            free_bytes=free,
            incoming_bytes=incoming,
        )


FULL_MESSAGE = (
    "the data disk is full: nothing was changed by this request and nothing stored is lost; "
    "free some space (or ask an administrator), then try again"
)


def is_disk_full(error: BaseException) -> bool:
    """Whether `error` (or what caused it) is the disk running out of room: an `OSError`
    ENOSPC/EDQUOT from a file write, or SQLite's SQLITE_FULL (it rolls the transaction back)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if isinstance(current, sqlite3.Error) and (
            getattr(current, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
            or "database or disk is full" in str(current)
        ):
            return True
        current = current.__cause__ or current.__context__
    return False


def disk_full(error: BaseException, message: str = FULL_MESSAGE) -> DiskFull:
    """The error the user sees when a write found the disk full."""
    return DiskFull(message, reason=str(error))


class DiskWatch:
    """E-mails the administrators once when the data disk goes under min_free_disk_percent (every
    upload and launch then refused), and again only after it had room in between: they learned it
    from the lab, the status page being the only place that said so."""

    def __init__(self) -> None:
        self._told = False

    def check(self, settings: Settings, database: Database) -> None:
        try:
            check_free_space(settings)
        except DiskFull as full:
            if not self._told:
                self._told = True
                body = (
                    f"vidjil-local ({settings.data_dir}) refuses uploads and analyses: "
                    f"{full.message}.\n\nThe Server status page says so until there is room again."
                )
                what = "data disk nearly full"
                admin_alerts.notify_admins(settings, what, body, key=what, database=database)
            return
        except OSError:  # a folder that went away: the health says so
            return
        self._told = False
