"""Request and response bodies of the API (msgspec Structs: validated, documented in OpenAPI)."""

from __future__ import annotations

import msgspec


class Credentials(msgspec.Struct, forbid_unknown_fields=True):
    email: str
    password: str


class NewAccount(msgspec.Struct, forbid_unknown_fields=True):
    email: str
    password: str
    first_name: str = ""
    last_name: str = ""


class Me(msgspec.Struct):
    id: int
    email: str
    first_name: str
    last_name: str
    is_admin: bool
    groups: list[int]
    rights: dict[str, list[str]]  # group id -> rights
    group_names: dict[str, str] = {}  # group id -> name


class AuthStatus(msgspec.Struct):
    needs_setup: bool
    user: Me | None
    healthcare_compliance: bool
    two_factor_required: bool


class LoginCode(msgspec.Struct, forbid_unknown_fields=True):
    code: str


class LaunchToken(msgspec.Struct):
    token: str
