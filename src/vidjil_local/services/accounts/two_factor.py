"""Two-factor login by e-mail (Vidjil's TWO_FACTOR_REQUIRED): after the password, a one-time code.

The code is six digits, sent to the account's address, valid ten minutes, for five tries in all.
The pending login is a row of `pending_logins` (only hashes of the code and of the token the
session holds): each try is counted there in one atomic update, so requests sent at once cannot
all read "no try yet" as they did from the session. A wrong code also counts as a wrong password
for the account and the address (`throttles`), so logging in again for fresh tries is slowed down
too. A new login replaces the user's pending one. Both steps are in the audit log.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from vidjil_local.db import Database
from vidjil_local.errors import NotAuthenticated
from vidjil_local.services import audit, mail
from vidjil_local.services.accounts import throttles
from vidjil_local.settings import Settings

CODE_LIFETIME = timedelta(minutes=10)
MAX_TRIES = 5


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def start(database: Database, settings: Settings, user_id: int, email: str) -> str:
    """Send a code; return the token the session keeps until the code comes back."""
    code = f"{secrets.randbelow(10**6):06d}"
    mail.send(
        settings,
        email,
        f"{settings.smtp_email_subject_start} your login code",
        f"Your vidjil-local login code is {code}.\n\nIt is valid for ten minutes. If you did not "
        "try to log in, tell your administrator.\n",
    )
    token = secrets.token_urlsafe(32)
    moment = datetime.now(UTC)
    with database.write() as db:
        db.execute(
            "DELETE FROM pending_logins WHERE user_id = ? OR expires_at < ?",
            [user_id, _stamp(moment)],
        )
        db.execute(
            "INSERT INTO pending_logins (token_hash, user_id, code_hash, expires_at) "
            "VALUES (?, ?, ?, ?)",
            [_hash(token), user_id, _hash(code), _stamp(moment + CODE_LIFETIME)],
        )
    return token


def check(
    database: Database, settings: Settings, token: object, code: str, client_address: str
) -> int:
    """The user id when the code is right; NotAuthenticated otherwise. The try is counted (and
    committed) either way."""
    if not isinstance(token, str):
        raise NotAuthenticated("log in with your password first")
    moment = datetime.now(UTC)
    with database.write() as db:
        row = db.execute(
            "UPDATE pending_logins SET tries = tries + 1 "
            "WHERE token_hash = ? AND tries < ? AND expires_at > ? "
            "RETURNING user_id, code_hash, (SELECT email FROM users WHERE id = user_id)",
            [_hash(token), MAX_TRIES, _stamp(moment)],
        ).fetchone()
        if row is None:
            refusal = NotAuthenticated("this code has expired: log in again to receive a new one")
        elif hmac.compare_digest(str(row[1]), _hash(code.strip())):
            db.execute("DELETE FROM pending_logins WHERE token_hash = ?", [_hash(token)])
            throttles.record_success(db, str(row[2]))
            return int(row[0])
        else:
            policy = throttles.Policy.of(settings)
            throttles.record_failure(db, policy, str(row[2]), client_address, moment)
            actor = audit.Actor(int(row[0]), str(row[2]), client_address)
            audit.record(db, actor, "login_code_failed", "users", int(row[0]))
            refusal = NotAuthenticated("wrong code")
    raise refusal
