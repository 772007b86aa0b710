"""Server-side sessions whose id changes at login, written only when something changed.

Litestar keeps the session id across `set_session` (even after `clear_session`), which leaves a
session-fixation hole; a handler that logs someone in calls `rotate_session(request)` and the
response carries a fresh id while the old one is deleted from the store (stack-notes.md section 8).

Renewing the session on every request (Litestar's `renew_on_access`) writes the session file twice
per request, which was half of the server's time under 50 clients. Instead a session is stored
again only when its content changed or its last renewal is older than `RENEW_SECONDS`: a login
then expires between `login_expiration - RENEW_SECONDS` and `login_expiration` after the last
request, and an anonymous visit stores nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar._parsers import parse_cookie_string
from litestar.connection import ASGIConnection
from litestar.middleware import DefineMiddleware
from litestar.middleware.session.base import SessionMiddleware
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.serialization import decode_json
from litestar.types import Message, Receive, Scope, ScopeSession, Send
from litestar.utils.scope.state import ScopeState

from vidjil_local.db import Database
from vidjil_local.services import authz
from vidjil_local.services.authz import Principal

ROTATE_FLAG = "vidjil_rotate_session"
PASSWORD_STAMP = "password_changed_at"
ROTATED_ID = "vidjil_rotated_session_id"
LOADED = "vidjil_loaded_session"
RENEWED_AT = "_renewed_at"
RENEW_SECONDS = 60.0


def rotate_session(request: Request[Any, Any, Any]) -> None:
    request.scope.setdefault("state", {})[ROTATE_FLAG] = True


def log_in(request: Request[Any, Any, Any], principal: Principal) -> None:
    """Make this request's session the login of `principal`, under a new session id (no session
    fixation). The login holds the moment of the account's password: a change or reset of the
    password ends every other login of the account (`guards.session_principal`)."""
    rotate_session(request)
    request.set_session(
        {"user_id": principal.user_id, PASSWORD_STAMP: principal.password_changed_at}
    )


def session_principal(request: Request[Any, Any, Any], database: Database) -> Principal | None:
    """Who this session is logged in as, or None: no login, or one that ended (the account was
    locked or removed, or its password changed since)."""
    session = request.session or {}
    user_id = session.get("user_id")
    if not isinstance(user_id, int):
        return None
    principal = authz.load_principal(database, user_id)
    if principal is None or session.get(PASSWORD_STAMP) != principal.password_changed_at:
        return None
    return principal


def _content(session: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in session.items() if key != RENEWED_AT}


class RotatingSessionBackend(ServerSideSessionBackend):
    async def load_from_connection(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> dict[str, Any]:
        data = await super().load_from_connection(connection)
        connection.scope.setdefault("state", {})[LOADED] = dict(data)
        return data

    def _unchanged_and_fresh(self, scope_session: ScopeSession, state: dict[str, Any]) -> bool:
        loaded = state.get(LOADED)
        if not isinstance(scope_session, dict) or loaded is None:
            return False
        if _content(scope_session) != _content(loaded):
            return False
        if not scope_session:
            return True  # nothing stored, nothing to store
        return time.time() - float(scope_session.get(RENEWED_AT, 0.0)) < RENEW_SECONDS

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        rotated = connection.scope.get("state", {}).get(ROTATED_ID)
        return str(rotated) if rotated else super().get_session_id(connection)

    async def store_in_message(
        self,
        scope_session: ScopeSession,
        message: Message,
        connection: ASGIConnection[Any, Any, Any, Any],
    ) -> None:
        state = connection.scope.setdefault("state", {})
        if not state.get(ROTATE_FLAG) and self._unchanged_and_fresh(scope_session, state):
            return  # the stored copy and the browser's cookie are still good
        if isinstance(scope_session, dict) and scope_session:
            scope_session[RENEWED_AT] = time.time()
        if state.get(ROTATE_FLAG) and not state.get(ROTATED_ID):
            old_id = connection.cookies.get(self.config.key)
            if old_id and old_id != "null":
                await self.delete(old_id, store=self.config.get_store_from_app(connection.app))
            state[ROTATED_ID] = self.generate_session_id()
        await super().store_in_message(scope_session, message, connection)


class QuickSessionMiddleware(SessionMiddleware[RotatingSessionBackend]):
    """Litestar's session middleware, as it behaves, with the request of an unchanged session
    made cheap (its `ASGIConnection`, header object and cookie parse, and the send wrapper's
    store call were an eighth of a clone list's server time): the cookie header is read from the
    scope (the parsed cookies are kept where Litestar looks for them), the session from the
    store's memory, and only a response whose session must be stored (changed, rotated, cleared
    or due for renewal) goes through the backend's `store_in_message`."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        backend = self.backend
        state = ScopeState.from_scope(scope)
        cookies = _cookies(scope, state)
        session_id = cookies.get(backend.config.key)
        data: dict[str, Any] = {}
        if session_id and session_id != "null":  # "null": the cookie of a cleared session
            store = backend.config.get_store_from_app(scope["app"])
            stored = await backend.get(session_id, store=store)
            if stored is not None:
                data = decode_json(stored)
        else:
            session_id = backend.generate_session_id()
        scope["session"] = data
        scope["state"][LOADED] = dict(data)
        state.session_id = session_id
        await self.app(scope, receive, _storing_send(backend, scope, receive, send))


def _cookies(scope: Scope, state: ScopeState) -> dict[str, str]:
    """The request's cookies as `ASGIConnection.cookies` parses them (and keeps them)."""
    if isinstance(state.cookies, dict):
        return state.cookies
    header = next((value for name, value in scope["headers"] if name == b"cookie"), None)
    cookies = parse_cookie_string(header.decode("latin-1")) if header else {}
    state.cookies = cookies
    return cookies


def _storing_send(
    backend: RotatingSessionBackend, scope: Scope, receive: Receive, send: Send
) -> Send:
    async def send_storing_session(message: Message) -> None:
        if message["type"] == "http.response.start":
            session = scope.get("session")
            state = scope["state"]
            if state.get(ROTATE_FLAG) or not backend._unchanged_and_fresh(session, state):
                connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(
                    scope, receive, send
                )
                await backend.store_in_message(session, message, connection)
        await send(message)

    return send_storing_session


@dataclass
class RotatingSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend

    @property
    def middleware(self) -> DefineMiddleware:
        return DefineMiddleware(QuickSessionMiddleware, backend=self._backend_class(config=self))
