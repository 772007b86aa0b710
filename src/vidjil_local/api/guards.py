"""What handlers are given as Litestar dependencies: the app's context, and who is calling.

A handler that takes `context` gets the `AppContext` (settings, database, job runtime) of its app.
One that takes `principal: Principal` needs a logged-in user (401 otherwise); one that takes
`admin: Principal` needs an administrator (403 otherwise); `actor` is the same logged-in user as
the audit trail records them (with the client address). Rights on sample sets are checked by the
services with `authz.require`, which every route touching a set calls.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency

from vidjil_local.api.context import AppContext
from vidjil_local.api.sessions import session_principal
from vidjil_local.errors import NotAuthenticated, PermissionDenied
from vidjil_local.services import audit
from vidjil_local.services.authz import Principal


def provide_context(state: State) -> AppContext:
    context: AppContext = state.context
    return context


def provide_principal(
    request: Request[Any, Any, Any], context: NamedDependency[AppContext]
) -> Principal:
    principal = session_principal(request, context.database)
    if principal is not None:
        return principal
    if not isinstance((request.session or {}).get("user_id"), int):
        # no session, or one that expired after `login_expiration` seconds without activity
        raise NotAuthenticated("please log in (a login expires after a time without activity)")
    request.clear_session()
    raise NotAuthenticated(
        "your login has ended (the password was changed, or the account locked): log in again"
    )


def provide_admin(principal: NamedDependency[Principal]) -> Principal:
    if not principal.is_admin:
        raise PermissionDenied("only administrators may do this")
    return principal


def provide_actor(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal]
) -> audit.Actor:
    return actor_of(request, principal)


def actor_of(request: Request[Any, Any, Any], principal: Principal | None) -> audit.Actor:
    address = request.client.host if request.client else ""
    if principal is None:
        return audit.Actor(None, "", address)
    return audit.Actor(principal.user_id, principal.email, address)
