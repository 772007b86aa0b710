"""Which backups to keep: the latest N, plus the last of each of the last D days and of the last W
weeks that have one (the days and weeks of this computer's clock). With all three at 0, all."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import UTC, datetime

from vidjil_local.services.backups.store import BackupStore, snapshot_order

SNAPSHOT_TIME = "%Y%m%dT%H%M%SZ"


def snapshot_time(snapshot: str) -> datetime:
    """The local time a snapshot was taken, from its name (UTC, e.g. 20260301T023000Z-2)."""
    stamp = datetime.strptime(snapshot.split("-")[0], SNAPSHOT_TIME).replace(tzinfo=UTC)
    return stamp.astimezone()


def kept(snapshots: Sequence[str], *, last: int, daily: int, weekly: int) -> set[str]:
    """The snapshots the rules keep."""
    if last == daily == weekly == 0:
        return set(snapshots)
    newest_first = sorted(snapshots, key=snapshot_order, reverse=True)
    keep = set(newest_first[:last])
    keep |= _newest_per(newest_first, daily, lambda moment: moment.date())
    keep |= _newest_per(newest_first, weekly, lambda moment: moment.isocalendar()[:2])
    return keep


def _newest_per(
    newest_first: Sequence[str], periods: int, period_of: Callable[[datetime], Hashable]
) -> set[str]:
    chosen: dict[Hashable, str] = {}
    for snapshot in newest_first:
        period = period_of(snapshot_time(snapshot))
        if period not in chosen:
            if len(chosen) == periods:
                break
            chosen[period] = snapshot
    return set(chosen.values())


def apply_retention(store: BackupStore, *, last: int, daily: int, weekly: int) -> list[str]:
    """Delete the snapshots the rules do not keep, then the files no snapshot needs any more;
    call it holding the store's lock. Returns the deleted snapshots."""
    snapshots = store.snapshot_ids()
    doomed = [
        name
        for name in snapshots
        if name not in kept(snapshots, last=last, daily=daily, weekly=weekly)
    ]
    for name in doomed:
        store.delete_snapshot(name)
    if doomed:
        store.collect_garbage()
    return doomed
