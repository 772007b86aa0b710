"""`POST /api/admin/quit`: an administrator stops the app from the browser (the desktop app has no
window of its own to close).

The server that runs the app (the launcher) gives the stop action with `set_quit_action`; the stop
happens after the answer is sent, and is the same clean stop as SIGTERM: running analyses are
stopped and queued again, and run at the next start.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec
from litestar import Controller, Litestar, post
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.response import Response

from vidjil_local.api.context import AppContext
from vidjil_local.errors import Conflict
from vidjil_local.services import audit
from vidjil_local.services.authz import Principal

QUIT_ACTION = "quit_action"


class Stopping(msgspec.Struct):
    stopping: bool
    requeued_jobs: int  # running analyses that stop now and run again at the next start


def set_quit_action(app: Litestar, action: Callable[[], None]) -> None:
    app.state[QUIT_ACTION] = action


class QuitController(Controller):
    path = "/api/admin/quit"
    tags = ("admin",)

    @post("/", operation_id="quitApp", sync_to_thread=True, status_code=202)
    def quit(
        self,
        state: State,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
    ) -> Response[Stopping]:
        """Stop vidjil-local (server and workers) once this answer is sent; running analyses run
        again at the next start."""
        action: Callable[[], None] | None = state.get(QUIT_ACTION)
        if action is None:
            raise Conflict("this server cannot be stopped from the browser")
        running = context.runtime.queue_depth()["running"] if context.runtime else 0
        audit.record_now(context.database, actor, "quit_app", requeued_jobs=running)
        return Response(Stopping(True, running), background=BackgroundTask(action))
