"""Sign-in: the first-start admin set-up, login slowed down by wrong passwords, logout, the
desktop launcher's URL."""

from __future__ import annotations

import html
from typing import Any

from litestar import Controller, MediaType, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody, URLEncodedBody
from litestar.response import Redirect

from vidjil_local.api.context import AppContext
from vidjil_local.api.guards import actor_of
from vidjil_local.api.schemas import (
    AuthStatus,
    Credentials,
    LaunchToken,
    LoginCode,
    Me,
    NewAccount,
)
from vidjil_local.api.sessions import log_in, rotate_session, session_principal
from vidjil_local.errors import NotAuthenticated
from vidjil_local.services import audit, authz
from vidjil_local.services.accounts import groups, login_tokens, logins, two_factor
from vidjil_local.services.authz import Principal


class TwoFactorRequired(NotAuthenticated):
    """The password was right; the login code sent by e-mail is still to come."""

    code = "two_factor_required"


def me_of(context: AppContext, principal: Principal) -> Me:
    user = logins.load_user(context.database, principal.user_id)
    names = groups.names_of(context.database, sorted(principal.group_ids))
    return Me(
        id=user.id,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        is_admin=principal.is_admin,
        groups=sorted(principal.group_ids),
        rights={str(g): sorted(r) for g, r in sorted(principal.rights_by_group.items())},
        group_names={str(g): name for g, name in names.items()},
    )


def _log_in(request: Request[Any, Any, Any], context: AppContext, user_id: int) -> Principal:
    principal = authz.load_principal(context.database, user_id)
    assert principal is not None  # just authenticated, or just created
    log_in(request, principal)  # a new session id at every login: no session fixation
    return principal


def _client(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else ""


class AuthController(Controller):
    path = "/api/auth"
    tags = ("auth",)

    @get("/status", operation_id="getAuthStatus", sync_to_thread=False)  # reads only
    def status(
        self, request: Request[Any, Any, Any], context: NamedDependency[AppContext]
    ) -> AuthStatus:
        """Whether the first admin must be created, and who is logged in (if anyone)."""
        principal = session_principal(request, context.database)
        return AuthStatus(
            needs_setup=not logins.has_administrator(context.database),
            user=me_of(context, principal) if principal else None,
            healthcare_compliance=context.settings.healthcare_compliance,
            two_factor_required=context.settings.two_factor_required,
        )

    @post("/setup", operation_id="createFirstAdmin", sync_to_thread=True, status_code=201)
    def setup(
        self,
        request: Request[Any, Any, Any],
        context: NamedDependency[AppContext],
        data: JSONBody[NewAccount],
    ) -> Me:
        """Create the administrator account; possible only once, while there is no user."""
        user_id = logins.create_first_admin(
            context.database,
            data.email,
            data.password,
            first_name=data.first_name,
            last_name=data.last_name,
            client_address=_client(request),
        )
        return me_of(context, _log_in(request, context, user_id))

    @post("/login", operation_id="login", sync_to_thread=True, status_code=200)
    def login(
        self,
        request: Request[Any, Any, Any],
        context: NamedDependency[AppContext],
        data: JSONBody[Credentials],
    ) -> Me:
        """Log in. With two-factor login on, a correct password answers 401 with the code
        `two_factor_required` and a code goes by e-mail: send it to `/api/auth/login/code`.
        Too many wrong passwords for the account or from this address answer 429 for a while
        (the Retry-After header says how long); a login from the desktop launcher's page is not
        slowed down."""
        user = logins.authenticate(
            context.database,
            context.settings,
            data.email,
            data.password,
            _client(request),
            trusted=bool((request.session or {}).get("launcher")),
        )
        if context.settings.two_factor_required:
            token = two_factor.start(context.database, context.settings, user.id, user.email)
            rotate_session(request)
            request.set_session({"pending_login": token})
            raise TwoFactorRequired(f"a login code was sent to {user.email}")
        return me_of(context, _log_in(request, context, user.id))

    @post("/login/code", operation_id="loginWithCode", sync_to_thread=True, status_code=200)
    def login_code(
        self,
        request: Request[Any, Any, Any],
        context: NamedDependency[AppContext],
        data: JSONBody[LoginCode],
    ) -> Me:
        """The second step of a two-factor login: the code received by e-mail (five tries in
        all for one login)."""
        token = (request.session or {}).get("pending_login")
        user_id = two_factor.check(
            context.database, context.settings, token, data.code, _client(request)
        )
        actor = actor_of(request, authz.load_principal(context.database, user_id))
        audit.record_now(
            context.database, actor, "login_code", table_name="users", record_id=user_id
        )
        return me_of(context, _log_in(request, context, user_id))

    @post(
        "/logout",
        operation_id="logout",
        sync_to_thread=True,
        status_code=204,
    )
    def logout(
        self,
        request: Request[Any, Any, Any],
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
    ) -> None:
        actor = actor_of(request, principal)
        audit.record_now(
            context.database, actor, "logout", table_name="users", record_id=principal.user_id
        )
        request.clear_session()

    @get(
        "/me",
        operation_id="getMe",
        sync_to_thread=True,
    )
    def me(self, context: NamedDependency[AppContext], principal: NamedDependency[Principal]) -> Me:
        return me_of(context, principal)


HOME = "/#/home"  # the client's lab entry: first start, login or the patients
LAUNCH_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vidjil-local</title></head>
<body><form method="post" action="/auth/launch">
<input type="hidden" name="token" value="{token}">
<noscript><button type="submit">Open vidjil-local</button></noscript>
</form><script src="/auth/launch.js"></script></body></html>
"""
LAUNCH_SCRIPT = "document.forms[0].submit();\n"  # a file: the CSP forbids inline script


class LaunchController(Controller):
    """The desktop launcher opens `GET /auth/launch?token=...`; the page posts the token back, so
    no GET changes anything. The token works once; it logs in the `desktop_login_email` account
    when that setting names one (a single-user workstation), else it leads to the login page."""

    path = "/auth"
    tags = ("auth",)

    @get(
        "/launch",
        operation_id="openLaunchPage",
        summary="The page the desktop launcher opens; it posts its one-time token",
        media_type=MediaType.HTML,
    )
    async def launch_page(self, token: FromQuery[str]) -> str:
        return LAUNCH_PAGE.format(token=html.escape(token, quote=True))

    @get("/launch.js", media_type="text/javascript", include_in_schema=False)
    async def launch_script(self) -> str:
        return LAUNCH_SCRIPT

    @post(
        "/launch",
        operation_id="launchWithToken",
        sync_to_thread=True,
        exclude_from_csrf=True,  # the one-time token is the proof; the page has no CSRF cookie yet
        summary="Use the desktop launcher's one-time token",
        status_code=303,  # to the home page (logged in), or to the login page
    )
    def launch(
        self,
        request: Request[Any, Any, Any],
        context: NamedDependency[AppContext],
        data: URLEncodedBody[LaunchToken],
    ) -> Redirect:
        if not login_tokens.consume(context.database, data.token):
            return Redirect(path="/?launch=expired#/home", status_code=303)
        user_id = _desktop_user(context)
        if user_id is None:
            rotate_session(request)
            request.set_session({"launcher": True})  # its logins are not slowed down
            return Redirect(path=HOME, status_code=303)
        _log_in(request, context, user_id)
        actor = audit.Actor(user_id, context.settings.desktop_login_email, "desktop launcher")
        audit.record_now(
            context.database, actor, "login_desktop", table_name="users", record_id=user_id
        )
        return Redirect(path=HOME, status_code=303)


def _desktop_user(context: AppContext) -> int | None:
    email = context.settings.desktop_login_email
    if not email or context.settings.two_factor_required:
        return None
    row = (
        context.database.db()
        .execute("SELECT id FROM users WHERE email = ? AND locked_at IS NULL", [email])
        .fetchone()
    )
    return int(row[0]) if row else None
