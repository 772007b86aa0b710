"""Who reads the metrics: a logged-in administrator or member of the metrics group, or a scraper
(Prometheus' `basic_auth`) giving such an account's e-mail and password with each request.

A scraper asks every few seconds: its password is checked with the login rules (wrong passwords
count and lock the account, each check is audited) once, then the same e-mail and password are
taken for CACHE_SECONDS without a new argon2 check or audit row. Only a hash of the password is
kept, in memory.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import threading
import time
from dataclasses import dataclass

from vidjil_local.db import Database
from vidjil_local.errors import NotAuthenticated, PermissionDenied
from vidjil_local.services import authz
from vidjil_local.services.accounts import logins
from vidjil_local.services.metrics.account import may_read_metrics
from vidjil_local.settings import Settings

CACHE_SECONDS = 300.0


@dataclass(frozen=True)
class _Checked:
    user_id: int
    password_digest: bytes
    until: float


def basic_credentials(header: str) -> tuple[str, str] | None:
    """(e-mail, password) of an `Authorization: Basic ...` header, None for another scheme."""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise NotAuthenticated("malformed basic authorization") from None
    email, separator, password = decoded.partition(":")
    if not separator:
        raise NotAuthenticated("malformed basic authorization")
    return email, password


class MetricsReaders:
    """The scrapers' recent checks, for one app."""

    def __init__(self) -> None:
        self._checked: dict[str, _Checked] = {}
        self._lock = threading.Lock()

    def user_of(
        self, database: Database, settings: Settings, header: str, client_address: str
    ) -> int:
        """The account of a basic authorization allowed to read the metrics."""
        credentials = basic_credentials(header)
        if credentials is None:
            raise NotAuthenticated("log in, or give the metrics account with basic authorization")
        email, password = credentials
        digest = hashlib.sha256(password.encode()).digest()
        with self._lock:
            known = self._checked.get(email.lower())
        if (
            known
            and known.until > time.monotonic()
            and hmac.compare_digest(known.password_digest, digest)
        ):
            require_reader(database, known.user_id)  # still there, not locked, still a reader
            return known.user_id
        user = logins.authenticate(database, settings, email, password, client_address)
        require_reader(database, user.id)
        with self._lock:
            self._checked[email.lower()] = _Checked(
                user.id, digest, time.monotonic() + CACHE_SECONDS
            )
        return user.id

    def forget(self) -> None:
        with self._lock:
            self._checked.clear()


def require_reader(database: Database, user_id: int) -> None:
    principal = authz.load_principal(database, user_id)
    if principal is None:
        raise NotAuthenticated("this account is locked or no longer exists")
    if not may_read_metrics(database, user_id, principal.is_admin):
        raise PermissionDenied("only administrators and the metrics group may read the metrics")
