"""Server-side sessions whose id changes at login.

Litestar keeps the session id across `set_session` (even after `clear_session`), which leaves a
session-fixation hole; a handler that logs someone in calls `rotate_session(request)` and the
response carries a fresh id while the old one is deleted from the store (stack-notes.md section 8).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.types import Message, ScopeSession

ROTATE_FLAG = "vidjil_rotate_session"
ROTATED_ID = "vidjil_rotated_session_id"


def rotate_session(request: Request[Any, Any, Any]) -> None:
    request.scope.setdefault("state", {})[ROTATE_FLAG] = True


class RotatingSessionBackend(ServerSideSessionBackend):
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
        if state.get(ROTATE_FLAG) and not state.get(ROTATED_ID):
            old_id = connection.cookies.get(self.config.key)
            if old_id and old_id != "null":
                await self.delete(old_id, store=self.config.get_store_from_app(connection.app))
            state[ROTATED_ID] = self.generate_session_id()
        await super().store_in_message(scope_session, message, connection)


@dataclass
class RotatingSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend
