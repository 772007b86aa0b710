"""The CSRF check (Litestar's double-submit cookie), with a shorter path for safe requests.

Litestar's `CSRFMiddleware` refuses an unsafe request (POST, PUT, PATCH, DELETE) unless its
`x-csrftoken` header and its `csrftoken` cookie hold the same signed token, and gives a safe one
(GET, HEAD...) that has no cookie yet a new token in a cookie. For a safe request that already
carries the cookie it has nothing to do, yet it read the content type and wrapped `send` on every
call of the results page; `CookieCheckedCSRF` lets that request straight through, noting its token
as Litestar does, and leaves every other request to Litestar's check.
"""

from __future__ import annotations

from typing import Any

from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import Receive, Scope, Send
from litestar.utils.scope.state import ScopeState


class CookieCheckedCSRF(CSRFMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and scope["method"] in self.config.safe_methods:
            connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope, receive)
            cookie = connection.cookies.get(self.config.cookie_name)
            if cookie:
                ScopeState.from_scope(scope).csrf_token = cookie
                await self.app(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def csrf_middleware(secret: str) -> DefineMiddleware:
    """The app's CSRF check: the innermost middleware, where Litestar puts its own."""
    config = CSRFConfig(secret=secret, cookie_samesite="strict", cookie_httponly=False)
    return DefineMiddleware(CookieCheckedCSRF, config=config)
