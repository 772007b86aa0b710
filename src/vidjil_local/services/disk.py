"""Room on the data disk: uploads and analysis results are refused before it runs out."""

from __future__ import annotations

import shutil
from pathlib import Path

from vidjil_local.errors import VidjilError
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
    if total > 0 and left * 100 < minimum * total:
        raise DiskFull(
            f"the data disk is nearly full ({free * 100 / total:.1f}% free, "
            f"{minimum:g}% must stay free): free some space or ask an administrator",
            free_bytes=free,
            incoming_bytes=incoming,
        )
