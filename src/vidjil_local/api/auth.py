"""Entry by the desktop launcher's one-time URL."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.params import FromQuery
from litestar.response import Redirect

from vidjil_local.api.context import AppContext
from vidjil_local.api.sessions import rotate_session
from vidjil_local.services import login_tokens


class LaunchController(Controller):
    path = "/auth"
    tags = ("auth",)

    @get(
        "/launch",
        operation_id="launchWithToken",
        sync_to_thread=True,
        summary="Open the app from the desktop launcher's one-time URL",
    )
    def launch(
        self, request: Request[Any, Any, Any], state: State, token: FromQuery[str]
    ) -> Redirect:
        context: AppContext = state.context
        if not login_tokens.consume(context.database, token):
            return Redirect(path="/?launch=expired")
        rotate_session(request)
        request.set_session({"launcher": True})
        return Redirect(path="/")
