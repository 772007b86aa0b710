from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vidjil_local.settings.crontab import crontab_trigger, weekday_names

MONDAY = datetime(2026, 12, 7, tzinfo=UTC)  # a Monday, midnight


def fire_days(line: str, weeks: int = 2) -> list[str]:
    """The weekdays ('Mon'...) on which `line` fires in the `weeks` from MONDAY."""
    trigger = crontab_trigger(line, timezone=UTC)
    days: list[str] = []
    previous, moment = None, MONDAY
    while True:
        fire = trigger.get_next_fire_time(previous, moment)
        if fire is None or fire >= MONDAY + timedelta(weeks=weeks):
            return days
        days.append(fire.strftime("%a"))
        previous, moment = fire, fire + timedelta(seconds=1)


@pytest.mark.parametrize(
    ("line", "days"),
    [
        ("30 2 * * 0", ["Sun"]),  # APScheduler's own reading would say Monday
        ("30 2 * * 7", ["Sun"]),
        ("30 2 * * 1-5", ["Mon", "Tue", "Wed", "Thu", "Fri"]),
        ("30 2 * * 5-7", ["Fri", "Sat", "Sun"]),
        ("30 2 * * fri-sun", ["Fri", "Sat", "Sun"]),
        ("30 2 * * */2", ["Tue", "Thu", "Sat", "Sun"]),
        ("30 2 * * 1-5/2,0", ["Mon", "Wed", "Fri", "Sun"]),
        ("30 2 * * sat,sun", ["Sat", "Sun"]),
        ("30 2 * * *", ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]),
    ],
)
def test_weekdays_are_crontabs(line: str, days: list[str]) -> None:
    assert fire_days(line, weeks=1) == days


def test_every_six_hours_keeps_its_hours() -> None:
    trigger = crontab_trigger("0 */6 * * *", timezone=UTC)
    first = trigger.get_next_fire_time(None, MONDAY + timedelta(minutes=1))
    assert first == MONDAY + timedelta(hours=6)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("0 2 * *", "expected 5 fields"),
        ("0 2 * * 8", "weekday must be 0-7"),
        ("0 2 * * 5-1", "goes backwards"),
        ("0 2 * * */0", "at least 1"),
        ("0 2 * * x", "weekday must be a number"),
        ("61 2 * * *", "higher than the maximum"),
    ],
)
def test_bad_lines_say_why(line: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        crontab_trigger(line)


def test_names_are_sorted_and_unique() -> None:
    assert weekday_names("3,1,1,0") == "sun,mon,wed"
