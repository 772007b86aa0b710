"""User accounts: `/api/users` for administrators, and `POST /api/auth/password` for a user
changing their own password."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from vidjil_local.api.context import AppContext
from vidjil_local.api.guards import actor_of
from vidjil_local.services.accounts import users
from vidjil_local.services.accounts.users import UserSummary
from vidjil_local.services.authz import Principal


class UserCreate(msgspec.Struct, forbid_unknown_fields=True):
    email: str
    password: str
    first_name: str = ""
    last_name: str = ""
    group_ids: list[int] = msgspec.field(default_factory=list)


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
    def list_users(self, state: State, admin: NamedDependency[Principal]) -> list[UserSummary]:
        """Every account with its groups, lock state, last login and what it created."""
        context: AppContext = state.context
        return users.list_users(context.database)

    @get("/{user_id:int}", operation_id="getUser", sync_to_thread=True)
    def get_user(
        self, state: State, admin: NamedDependency[Principal], user_id: FromPath[int]
    ) -> UserSummary:
        context: AppContext = state.context
        return users.get_user(context.database, user_id)

    @post("/", operation_id="createUser", sync_to_thread=True, status_code=201)
    def create(
        self,
        request: Request[Any, Any, Any],
        state: State,
        admin: NamedDependency[Principal],
        data: JSONBody[UserCreate],
    ) -> UserSummary:
        """Register an account (there is no self sign-up); the password policy applies."""
        context: AppContext = state.context
        profile = {"email": data.email, "first_name": data.first_name, "last_name": data.last_name}
        return users.register(
            context.database, actor_of(request, admin), profile, data.password, data.group_ids
        )

    @patch("/{user_id:int}", operation_id="updateUser", sync_to_thread=True)
    def update(
        self,
        request: Request[Any, Any, Any],
        state: State,
        admin: NamedDependency[Principal],
        user_id: FromPath[int],
        data: JSONBody[UserUpdate],
    ) -> UserSummary:
        context: AppContext = state.context
        changes = {
            name: getattr(data, name)
            for name in data.__struct_fields__
            if getattr(data, name) is not None
        }
        return users.update_profile(context.database, actor_of(request, admin), user_id, changes)

    @post("/{user_id:int}/password", operation_id="resetUserPassword", sync_to_thread=True,
          status_code=204)  # fmt: skip
    def reset_password(
        self,
        request: Request[Any, Any, Any],
        state: State,
        admin: NamedDependency[Principal],
        user_id: FromPath[int],
        data: JSONBody[PasswordReset],
    ) -> None:
        """Set a new password for a user who forgot theirs."""
        context: AppContext = state.context
        users.reset_password(context.database, actor_of(request, admin), user_id, data.password)

    @post("/{user_id:int}/lock", operation_id="lockUser", sync_to_thread=True, status_code=200)
    def lock(
        self,
        request: Request[Any, Any, Any],
        state: State,
        admin: NamedDependency[Principal],
        user_id: FromPath[int],
    ) -> UserSummary:
        """Disable an account; refused for the last administrator who can log in."""
        context: AppContext = state.context
        return users.lock(context.database, actor_of(request, admin), user_id)

    @post("/{user_id:int}/unlock", operation_id="unlockUser", sync_to_thread=True, status_code=200)
    def unlock(
        self,
        request: Request[Any, Any, Any],
        state: State,
        admin: NamedDependency[Principal],
        user_id: FromPath[int],
    ) -> UserSummary:
        """Enable an account again (locked by wrong passwords or by an administrator)."""
        context: AppContext = state.context
        return users.unlock(context.database, actor_of(request, admin), user_id)


@post("/api/auth/password", operation_id="changeOwnPassword", sync_to_thread=True,
      status_code=204, tags=["auth"])  # fmt: skip
def change_own_password(
    request: Request[Any, Any, Any],
    state: State,
    principal: NamedDependency[Principal],
    data: JSONBody[PasswordChange],
) -> None:
    """Any logged-in user replaces their password, giving the current one."""
    context: AppContext = state.context
    users.change_own_password(
        context.database,
        actor_of(request, principal),
        principal.user_id,
        data.current_password,
        data.new_password,
    )
