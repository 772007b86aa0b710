"""The request log: one line per HTTP request in `logs/requests.log` (see `vidjil_local.log`).

    127.0.0.1 admin@lab.example POST /api/auth/login 200 12.3 ms

The user is the one the session names once the request is done (so a login shows who logged in),
else the one it named when the request came (a logout); `-` for none. Query values of
sensitive-looking parameters (the launcher's one-time `token`...) are replaced by `***` before the
line is written, and the line is redacted again by the log's formatter. The middleware is the
outermost one, so the session middleware has run inside it.

A line must stay cheap (it was a fifth of a clone list's server time under 50 clients): it goes
straight to the log file (`log._RotatingFile.write_message`: no `LogRecord`, no caller lookup,
formatted once, flushed with the other lines of the same event-loop turn), and a query string
without a sensitive-looking word is shown as it was the last time it came.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from vidjil_local.api.errors import status_of
from vidjil_local.api.sessions import LOADED
from vidjil_local.log import HIDDEN, REQUEST_LOGGER, SENSITIVE_WORDS
from vidjil_local.services.authz import load_principal

log = logging.getLogger(REQUEST_LOGGER)
EMAIL_CACHE_SECONDS = 60.0
_SENSITIVE = re.compile(rf"(?i)^({SENSITIVE_WORDS})$")
_MAYBE_SENSITIVE = re.compile(rf"(?i)({SENSITIVE_WORDS})")


class _Emails:
    """user id -> e-mail, looked up once a minute at most (a line per request must stay cheap)."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, int], tuple[str, float]] = {}
        self._lock = threading.Lock()

    def of(self, scope: Scope, user_id: int) -> str:
        database = scope["app"].state.context.database
        key = (str(database.path), user_id)
        known = self._known.get(key)  # one dict read: atomic, no lock needed
        if known is not None and time.monotonic() - known[1] < EMAIL_CACHE_SECONDS:
            return known[0]
        principal = load_principal(database, user_id)
        email = principal.email if principal else f"user #{user_id}"
        with self._lock:
            self._known[key] = (email, time.monotonic())
        return email


EMAILS = _Emails()


def shown_path(scope: Scope) -> str:
    path = str(scope.get("path", ""))
    query: bytes = scope.get("query_string", b"")
    if not query:
        return path
    shown = _shown_plain.get((path, query))
    if shown is not None:
        return shown
    text = query.decode("latin-1")
    if _MAYBE_SENSITIVE.search(text):
        return f"{path}?{_shown_query(text)}"  # never kept: no token stays in memory
    shown = f"{path}?{_shown_query(text)}"
    if len(_shown_plain) >= PLAIN_PATHS_KEPT:
        _shown_plain.clear()
    _shown_plain[(path, query)] = shown
    return shown


def _shown_query(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    safe = [(name, HIDDEN if _SENSITIVE.match(name) else value) for name, value in pairs]
    return urlencode(safe, safe="*/,:")


# (path, query) -> as shown, for queries holding no sensitive-looking word only; a page asks
# the same few again and again (pages, sorts, filters of a clone list)
_shown_plain: dict[tuple[str, bytes], str] = {}
PLAIN_PATHS_KEPT = 1024


def _user_id(session: Any) -> int | None:
    user_id = session.get("user_id") if isinstance(session, dict) else None
    return user_id if isinstance(user_id, int) else None


def _user(scope: Scope) -> str:
    """Who the session names after the request, else before it (a logout)."""
    user_id = _user_id(scope.get("session"))
    if user_id is None:
        user_id = _user_id(scope.get("state", {}).get(LOADED))
    if user_id is None:
        return "-"
    try:
        return EMAILS.of(scope, user_id)
    except Exception:  # a log line never fails a request
        return f"user #{user_id}"


def request_log_middleware(app: ASGIApp) -> ASGIApp:
    async def logged(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or not log.isEnabledFor(logging.INFO):
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets when the app fails before answering

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await app(scope, receive, send_noting_status)
        except BaseException as error:  # raised by a middleware (CSRF): answered further out
            status = status_of(error) if status == 500 else status
            raise
        finally:
            _write_line(scope, status, (time.perf_counter() - started) * 1000)

    return logged


def _write_line(scope: Scope, status: int, milliseconds: float) -> None:
    client = scope.get("client")
    line = (
        f"{client[0] if client else '-'} {_user(scope)} {scope.get('method', '')} "
        f"{shown_path(scope)} {status} {milliseconds:.1f} ms"
    )
    for handler in log.handlers:
        write_message = getattr(handler, "write_message", None)
        if write_message is not None:  # the log file's: no LogRecord, flushed after the turn
            write_message(line, asyncio.get_running_loop())
        else:
            handler.handle(log.makeRecord(log.name, logging.INFO, "", 0, line, (), None))
