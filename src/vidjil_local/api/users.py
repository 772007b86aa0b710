"""User accounts: `/api/users` for administrators, and `POST /api/auth/password` for a user
changing their own password."""

from __future__ import annotations

import msgspec
from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from vidjil_local.api.context import AppContext
from vidjil_local.api.params import Id, PathId
from vidjil_local.services import audit
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
        context: NamedDependency[AppContext],
        admin: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        user_id: PathId,
        data: JSONBody[PasswordReset],
    ) -> None:
        """Set a new password for a user who forgot theirs."""
        users.reset_password(context.database, actor, user_id, data.password)

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
    context: NamedDependency[AppContext],
    principal: NamedDependency[Principal],
    actor: NamedDependency[audit.Actor],
    data: JSONBody[PasswordChange],
) -> None:
    """Any logged-in user replaces their password, giving the current one."""
    users.change_own_password(
        context.database,
        actor,
        principal.user_id,
        data.current_password,
        data.new_password,
    )
