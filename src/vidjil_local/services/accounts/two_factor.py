"""Two-factor login by e-mail (Vidjil's TWO_FACTOR_REQUIRED): after the password, a one-time code.

The code is six digits, sent to the account's address, valid ten minutes, for five tries; only its
hash is kept. The password step and the code step are both recorded in the audit log.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from vidjil_local.errors import NotAuthenticated
from vidjil_local.services import mail
from vidjil_local.settings import Settings

CODE_LIFETIME_SECONDS = 600
MAX_TRIES = 5


@dataclass
class PendingLogin:
    user_id: int
    code_hash: str
    expires_at: float
    tries: int = 0


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def start(settings: Settings, user_id: int, email: str) -> dict[str, object]:
    """Send a code; return what the session keeps until the code comes back."""
    code = f"{secrets.randbelow(10**6):06d}"
    mail.send(
        settings,
        email,
        f"{settings.smtp_email_subject_start} your login code",
        f"Your vidjil-local login code is {code}.\n\nIt is valid for ten minutes. If you did not "
        "try to log in, tell your administrator.\n",
    )
    return {
        "pending_user_id": user_id,
        "pending_code_hash": _hash(code),
        "pending_expires_at": time.time() + CODE_LIFETIME_SECONDS,
        "pending_tries": 0,
    }


def check(session: dict[str, object], code: str) -> int:
    """The user id when the code is right; NotAuthenticated otherwise (the session is updated)."""
    user_id = session.get("pending_user_id")
    expires = session.get("pending_expires_at")
    tries = session.get("pending_tries")
    if not isinstance(user_id, int) or not isinstance(expires, float) or not isinstance(tries, int):
        raise NotAuthenticated("log in with your password first")
    if time.time() > expires or tries >= MAX_TRIES:
        raise NotAuthenticated("this code has expired: log in again to receive a new one")
    session["pending_tries"] = tries + 1
    if not hmac.compare_digest(str(session.get("pending_code_hash")), _hash(code.strip())):
        raise NotAuthenticated("wrong code")
    return user_id
