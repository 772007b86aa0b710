"""A crontab line as an APScheduler trigger, with the weekdays crontab means.

APScheduler 3.x reads weekday numbers its own way (0 = Monday, its issue 286), while crontab and
every admin who writes one mean 0 or 7 = Sunday, 1 = Monday: "30 2 * * 0" must back up on
Sundays, not on Mondays. The weekday field is therefore expanded here, by crontab's rules, into
day names, which both read alike.
"""

from __future__ import annotations

from datetime import tzinfo

from apscheduler.triggers.cron import CronTrigger

DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # crontab's numbers 0-6 (7 = sun)


def crontab_trigger(line: str, timezone: tzinfo | str | None = None) -> CronTrigger:
    """The trigger of a five-field crontab line; ValueError says what is wrong with it."""
    fields = line.split()
    if len(fields) != 5:
        raise ValueError(f"expected 5 fields (minute hour day month weekday), got {len(fields)}")
    minute, hour, day, month, weekday = fields
    return CronTrigger(
        minute=minute, hour=hour, day=day, month=month,
        day_of_week=weekday_names(weekday), timezone=timezone,
    )  # fmt: skip


def weekday_names(field: str) -> str:
    """A crontab weekday field as day names: '0' -> 'sun', '1-5' -> 'mon,tue,wed,thu,fri',
    '*/2' -> 'sun,tue,thu,sat'; '*' stays '*'."""
    if field == "*":
        return field
    days: set[int] = set()
    for part in field.lower().split(","):
        days |= _days_of(part)
    return ",".join(DAY_NAMES[day] for day in sorted(days))


def _days_of(part: str) -> set[int]:
    span, _, step_text = part.partition("/")
    step = _number(step_text, "step") if step_text else 1
    if step < 1:
        raise ValueError(f"weekday step must be at least 1: {part!r}")
    if span == "*":
        first, last = 0, 6
    else:
        start, dash, end = span.partition("-")
        first = _day(start)
        last = _day(end) if dash else (6 if step_text else first)
        if dash and end == "sun" and first > 0:
            last = 7  # "fri-sun": Friday to Sunday, as "5-7"
    if last < first:
        raise ValueError(f"weekday range goes backwards: {part!r}")
    return {day % 7 for day in range(first, last + 1, step)}


def _day(text: str) -> int:
    if text in DAY_NAMES:
        return DAY_NAMES.index(text)
    day = _number(text, "weekday")
    if not 0 <= day <= 7:
        raise ValueError(f"weekday must be 0-7 or sun-sat: {text!r}")
    return day


def _number(text: str, what: str) -> int:
    if not text.isdigit():
        raise ValueError(f"{what} must be a number: {text!r}")
    return int(text)
