"""Slowing password guessing down, per account and per client address, without locking anyone out.

A wrong password counts against the account it names (known or not: an unknown e-mail answers
like a known one) and against the address it came from. Past `max_wrong_passwords` wrong ones
in a row for an account, or `max_wrong_passwords_per_address` from one address (one password
tried across many accounts), logins there wait `login_delay_seconds`, then twice as long after
each further wrong password, up to `MAX_DELAY`. While waiting, an attempt is refused without its
password being checked. A right password ends the account's count; an address's count ends
after `ADDRESS_MEMORY` without a wrong password. Nothing is permanent: a stranger can slow an
account down, never shut it, and an administrator lifts it at once (`users.unlock`, or
`vidjil-local users unlock EMAIL` on the machine).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import msgspec
import sqlite_utils

from vidjil_local.errors import VidjilError
from vidjil_local.settings import Settings

ACCOUNT, ADDRESS = "account", "address"
MAX_DELAY = timedelta(minutes=15)
ADDRESS_MEMORY = timedelta(hours=1)


class LoginThrottled(VidjilError):
    """Too many wrong passwords for this account or from this address: wait, then try again."""

    code = "login_throttled"
    http_status = 429


class Throttle(msgspec.Struct):
    kind: str  # "account" (an e-mail, as typed, lower case) or "address"
    name: str
    failures: int  # wrong passwords counted (in a row, for an account)
    last_failure_at: str
    throttled_until: str | None  # no attempt is checked before this moment


@dataclass(frozen=True)
class Policy:
    per_account: int
    per_address: int
    first_delay: timedelta

    @classmethod
    def of(cls, settings: Settings) -> Policy:
        return cls(
            settings.max_wrong_passwords,
            settings.max_wrong_passwords_per_address,
            timedelta(seconds=settings.login_delay_seconds),
        )


def key(kind: str, name: str) -> str:
    return f"{kind}:{name.strip().lower() if kind == ACCOUNT else name}"


def refusal(
    db: sqlite_utils.Database, email: str, address: str, moment: datetime
) -> LoginThrottled | None:
    """The error to answer when the account or the address must still wait, else None."""
    for kind, name in ((ACCOUNT, email), (ADDRESS, address)):
        row = db.execute(
            "SELECT throttled_until FROM login_throttles WHERE key = ?", [key(kind, name)]
        ).fetchone()
        until = _moment(row[0]) if row and row[0] else None
        if until is not None and until > moment:
            wait = max(1, round((until - moment).total_seconds()))
            what = "this account" if kind == ACCOUNT else "your address"
            return LoginThrottled(
                f"too many wrong passwords for {what}: try again in {wait} s (an administrator "
                "can lift this at once)",
                retry_after=wait,
                throttled=kind,
            )
    return None


def record_failure(
    db: sqlite_utils.Database, policy: Policy, email: str, address: str, moment: datetime
) -> list[str]:
    """Count a wrong password for both; return the kinds that must wait from now on."""
    waiting = []
    counted = ((ACCOUNT, email, policy.per_account), (ADDRESS, address, policy.per_address))
    for kind, name, limit in counted:
        failures = _failures(db, key(kind, name), kind, moment) + 1
        until = moment + _delay(policy, failures - limit) if failures >= limit else None
        db.execute(
            "INSERT OR REPLACE INTO login_throttles "
            "(key, failures, last_failure_at, throttled_until) VALUES (?, ?, ?, ?)",
            [key(kind, name), failures, _text(moment), _text(until) if until else None],
        )
        if until is not None:
            waiting.append(kind)
    return waiting


def _failures(db: sqlite_utils.Database, row_key: str, kind: str, moment: datetime) -> int:
    row = db.execute(
        "SELECT failures, last_failure_at FROM login_throttles WHERE key = ?", [row_key]
    ).fetchone()
    if row is None:
        return 0
    if kind == ADDRESS and moment - _moment(row[1]) > ADDRESS_MEMORY:
        return 0  # a quiet hour: the address starts afresh
    return int(row[0])


def _delay(policy: Policy, beyond: int) -> timedelta:
    """The first delay, doubled for each wrong password beyond the limit, at most MAX_DELAY."""
    delay: timedelta = policy.first_delay * 2 ** min(beyond, 20)
    return min(delay, MAX_DELAY)


def record_success(db: sqlite_utils.Database, email: str) -> None:
    db.execute("DELETE FROM login_throttles WHERE key = ?", [key(ACCOUNT, email)])


def lift(db: sqlite_utils.Database, *, email: str | None = None, addresses: bool = False) -> int:
    """End the count of an account and/or of every address; the number of rows lifted."""
    lifted = 0
    if email is not None:
        lifted += db.execute(
            "DELETE FROM login_throttles WHERE key = ?", [key(ACCOUNT, email)]
        ).rowcount
    if addresses:
        lifted += db.execute("DELETE FROM login_throttles WHERE key LIKE 'address:%'").rowcount
    return lifted


def lift_all(db: sqlite_utils.Database) -> int:
    return int(db.execute("DELETE FROM login_throttles").rowcount)


def current(db: sqlite_utils.Database, moment: datetime | None = None) -> list[Throttle]:
    """Accounts and addresses that must wait now, or had a wrong password in the last hour."""
    moment = moment or datetime.now(UTC)
    rows = db.execute(
        "SELECT key, failures, last_failure_at, throttled_until FROM login_throttles "
        "WHERE throttled_until > ? OR last_failure_at > ? ORDER BY last_failure_at DESC",
        [_text(moment), _text(moment - ADDRESS_MEMORY)],
    ).fetchall()
    throttled = []
    for row_key, failures, last_failure_at, until in rows:
        kind, name = str(row_key).split(":", 1)
        throttled.append(Throttle(kind, name, int(failures), str(last_failure_at), until))
    return throttled


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)
