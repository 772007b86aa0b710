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
from vidjil_local.errors import NotAuthenticated, PermissionDenied
from vidjil_local.services import audit, authz
from vidjil_local.services.authz import Principal


def provide_context(state: State) -> AppContext:
    context: AppContext = state.context
    return context


def provide_principal(
    request: Request[Any, Any, Any], context: NamedDependency[AppContext]
) -> Principal:
    user_id = request.session.get("user_id") if request.session else None
    if not isinstance(user_id, int):
        # no session, or one that expired after `login_expiration` seconds without activity
        raise NotAuthenticated("please log in (a login expires after a time without activity)")
    principal = authz.load_principal(context.database, user_id)
    if principal is None:
        request.clear_session()
        raise NotAuthenticated("this account is locked or no longer exists")
    return principal


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
