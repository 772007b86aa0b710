"""User accounts: `/api/users` for administrators, and `POST /api/auth/password` for a user
changing their own password."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from vidjil_local.api.context import AppContext
from vidjil_local.api.params import Id, PathId
from vidjil_local.api.sessions import log_in
from vidjil_local.services import audit, authz
from vidjil_local.services.accounts import users
from vidjil_local.services.accounts.users import UserSummary
from vidjil_local.services.authz import Principal


class UserCreate(msgspec.Struct, forbid_unknown_fields=True):
    email: str
    password: str
    first_name: str = ""
    last_name: str = ""
    group_ids: list[Id] = msgspec.field(default_factory=list)


class UserUpdate(msgspec.Struct, forbid_unknown_fields=True):
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None


class PasswordReset(msgspec.Struct, forbid_unknown_fields=True):
    password: str


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True):
    current_password: str
    new_password: str


class UserController(Controller):
    path = "/api/users"
    tags = ("admin",)

    @get("/", operation_id="listUsers", sync_to_thread=True)
    def list_users(
        self, context: NamedDependency[AppContext], admin: NamedDependency[Principal]
    ) -> list[UserSummary]:
        """Every account with its groups, lock state, last login and what it created."""
        return users.list_users(context.database)

    @get("/{user_id:int}", operation_id="getUser", sync_to_thread=True)
    def get_user(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        user_id: PathId,
    ) -> UserSummary:
        return users.get_user(context.database, user_id)

    @post("/", operation_id="createUser", sync_to_thread=True, status_code=201)
    def create(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        data: JSONBody[UserCreate],
    ) -> UserSummary:
        """Register an account (there is no self sign-up); the password policy applies."""
        profile = {"email": data.email, "first_name": data.first_name, "last_name": data.last_name}
        return users.register(context.database, actor, profile, data.password, data.group_ids)

    @patch("/{user_id:int}", operation_id="updateUser", sync_to_thread=True)
    def update(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        user_id: PathId,
        data: JSONBody[UserUpdate],
    ) -> UserSummary:
        changes = {
            name: getattr(data, name)
            for name in data.__struct_fields__
            if getattr(data, name) is not None
        }
        return users.update_profile(context.database, actor, user_id, changes)

    @post("/{user_id:int}/password", operation_id="resetUserPassword", sync_to_thread=True,
          status_code=204)  # fmt: skip
    def reset_password(
        self,
        request: Request[Any, Any, Any],
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        user_id: PathId,
        data: JSONBody[PasswordReset],
    ) -> None:
        """Set a new password for a user who forgot theirs; every login of theirs ends."""
        users.reset_password(context.database, actor, user_id, data.password)
        if user_id == admin.user_id:
            _stay_logged_in(request, context)

    @post("/{user_id:int}/lock", operation_id="lockUser", sync_to_thread=True, status_code=200)
    def lock(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        user_id: PathId,
    ) -> UserSummary:
        """Disable an account; refused for the last administrator who can log in."""
        return users.lock(context.database, actor, user_id)

    @post("/{user_id:int}/unlock", operation_id="unlockUser", sync_to_thread=True, status_code=200)
    def unlock(
        self,
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        user_id: PathId,
    ) -> UserSummary:
        """Enable an account again (locked by wrong passwords or by an administrator)."""
        return users.unlock(context.database, actor, user_id)


@post("/api/auth/password", operation_id="changeOwnPassword", sync_to_thread=True,
      status_code=204, tags=["auth"])  # fmt: skip
def change_own_password(
    request: Request[Any, Any, Any],
    context: NamedDependency[AppContext],
    principal: NamedDependency[Principal],
    actor: NamedDependency[audit.Actor],
    data: JSONBody[PasswordChange],
) -> None:
    """Any logged-in user replaces their password, giving the current one; their other logins
    end (this one goes on)."""
    users.change_own_password(
        context.database,
        actor,
        principal.user_id,
        data.current_password,
        data.new_password,
    )
    _stay_logged_in(request, context)


def _stay_logged_in(request: Request[Any, Any, Any], context: AppContext) -> None:
    """The session that changed its own password stays logged in, under a new id."""
    user_id = (request.session or {}).get("user_id")
    principal = (
        authz.load_principal(context.database, user_id) if isinstance(user_id, int) else None
    )
    if principal is not None:
        log_in(request, principal)
