"""Backup retention: the latest N, plus the last of each of the last D days and W weeks (local
time); with all rules at 0 nothing is deleted, and no rule ever drops the newest backup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vidjil_local.services.backups.retention import SNAPSHOT_TIME, kept, snapshot_time

MONDAY_9AM = datetime(2026, 3, 2, 9, 0).astimezone()  # this computer's time zone


def snapshot(days: float, hours: float = 0) -> str:
    """The name of a backup taken `days` and `hours` after Monday 2 March 2026, 9:00 local."""
    moment = MONDAY_9AM + timedelta(days=days, hours=hours)
    return moment.astimezone(UTC).strftime(SNAPSHOT_TIME)


# four backups a day (9:00, 12:00, 15:00, 18:00) for 21 days: 84 backups over three weeks
EVERY_SIX_HOURS = [snapshot(day, hours) for day in range(21) for hours in (0, 3, 6, 9)]


def test_names_read_back_as_the_local_time_they_were_taken() -> None:
    assert snapshot_time(snapshot(0, 3)) == MONDAY_9AM + timedelta(hours=3)
    assert snapshot_time(snapshot(0) + "-2") == MONDAY_9AM


def test_all_rules_at_zero_keep_everything() -> None:
    assert kept(EVERY_SIX_HOURS, last=0, daily=0, weekly=0) == set(EVERY_SIX_HOURS)


def test_the_latest_n() -> None:
    assert kept(EVERY_SIX_HOURS, last=3, daily=0, weekly=0) == {
        snapshot(20, 9), snapshot(20, 6), snapshot(20, 3),
    }  # fmt: skip


def test_the_last_of_each_of_the_last_days_that_have_one() -> None:
    gap = [name for name in EVERY_SIX_HOURS if not snapshot(15) <= name <= snapshot(17, 9)]
    assert kept(gap, last=0, daily=4, weekly=0) == {
        snapshot(20, 9), snapshot(19, 9), snapshot(18, 9), snapshot(14, 9),
    }  # fmt: skip  # days 15 to 17 have no backup: the fourth day kept is day 14


def test_the_last_of_each_of_the_last_weeks() -> None:
    # weeks start on Monday (ISO): days 0-6, 7-13 and 14-20
    assert kept(EVERY_SIX_HOURS, last=0, daily=0, weekly=2) == {snapshot(20, 9), snapshot(13, 9)}


def test_rules_add_up_and_only_the_others_go() -> None:
    keep = kept(EVERY_SIX_HOURS, last=2, daily=2, weekly=3)
    assert keep == {
        snapshot(20, 9), snapshot(20, 6),  # the latest two
        snapshot(19, 9),  # the last of the two last days (day 20's is already kept)
        snapshot(13, 9), snapshot(6, 9),  # the last of each of the three weeks
    }  # fmt: skip
    assert len(EVERY_SIX_HOURS) - len(keep) == 79


@pytest.mark.parametrize(("last", "daily", "weekly"), [(1, 0, 0), (0, 1, 0), (0, 0, 1), (0, 2, 5)])
def test_the_newest_is_always_kept(last: int, daily: int, weekly: int) -> None:
    assert snapshot(20, 9) in kept(EVERY_SIX_HOURS, last=last, daily=daily, weekly=weekly)


def test_a_second_backup_in_the_same_second_sorts_after_the_first() -> None:
    first, second = snapshot(1), snapshot(1) + "-2"
    assert kept([snapshot(0), second, first], last=1, daily=0, weekly=0) == {second}
