"""Passwords: the policy, and argon2 hashes (never the password itself) to store and check.

The policy follows NIST SP 800-63B: a minimum length, no maximum below 1,024 characters, no
composition rules, and a refusal of what attackers try first. That last part is zxcvbn
(Dropbox's estimator, offline: its lists of common passwords, words, names and keyboard patterns
ship with it): a password it scores under `MIN_SCORE` (fewer than about 10^8 guesses) is refused,
as is one built on the account's own e-mail or names, with zxcvbn's reason.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from vidjil_local.errors import UsageError

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024  # argon2 takes any length; this only bounds the work of a request
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable", at least about 10^8 guesses
ESTIMATED_CHARACTERS = 72  # zxcvbn's own limit; a longer password is judged by its start
_hasher = PasswordHasher()


def check_password_strength(password: str, *context: str) -> None:
    """Refuse a password that is too short, too long, or easy to guess; `context` holds the
    account's e-mail and names (a password built on them is easy to guess)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UsageError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UsageError(f"the password may have at most {MAX_PASSWORD_LENGTH} characters")
    from zxcvbn import zxcvbn  # its word lists take a moment to load: only when needed

    hints = [part for item in context for part in (item, *item.replace("@", " ").split()) if part]
    estimate = zxcvbn(password[:ESTIMATED_CHARACTERS], user_inputs=hints)
    if estimate["score"] < MIN_SCORE:
        feedback = estimate["feedback"]
        reason = feedback["warning"] or " ".join(feedback["suggestions"][:1])
        raise UsageError(
            "the password is too easy to guess"
            + (f": {reason.rstrip('.')}" if reason else "")
            + " (use several unusual words, or a longer password)",
            reason=reason,
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
