"""Every right x every route x own group / other group: exactly allowed, or 403 / 404.

Each user belongs to one group holding `read` plus the right under test (or nothing at all). A set
of the user's own group answers 2xx when the group holds the route's right, 403 when it can read
the set but lacks the right, 404 when it cannot even read it; a set of another group is always
404 (its existence is not revealed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api, Lab
from vidjil_local.api.app import create_app
from vidjil_local.services.authz import RIGHTS
from vidjil_local.settings import resolve_settings

PROFILES: dict[str, tuple[str, ...]] = {
    "nothing": (),
    **{right: tuple(sorted({"read", right})) for right in RIGHTS},
}


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # "{set}" is replaced by the sample set's id
    right: str
    body: Callable[[int], Any] | None = None

    def call(self, api: Api, set_id: int) -> int:
        url = self.path.replace("{set}", str(set_id))
        kwargs = {"json": self.body(set_id)} if self.body else {}
        response = getattr(api, self.method)(url, **kwargs)
        return int(response.status_code)


ROUTES = [
    Route("get", "/api/sample-sets/{set}", "read"),
    Route("patch", "/api/sample-sets/{set}", "admin", lambda _: {"info": "edited #checked"}),
    Route("put", "/api/sample-sets/{set}/groups", "admin", None),  # body set per test: own group
    Route("delete", "/api/sample-sets/{set}", "admin"),
]


def expected(profile: str, route: Route, own: bool) -> set[int]:
    rights = PROFILES[profile]
    if not own or "read" not in rights:
        return {404}
    if route.right in rights:
        return {200, 201, 204}
    return {403}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One group and one user per profile, plus another lab's group owning its own sets.

    Built once for the module: the tests only add sets, so they do not disturb each other."""
    settings = resolve_settings(
        tmp_path_factory.mktemp("matrix"), environ={}, overrides={"workers_pool": 1}
    )
    app = create_app(settings, start_jobs=False)
    with local_client(app) as client:
        admin = Api(client)
        assert admin.post("/api/auth/setup", json=ADMIN).status_code == 201
        lab = Lab(app)
        groups = {name: lab.group(f"group-{name}", rights) for name, rights in PROFILES.items()}
        users = {name: lab.user(f"user-{name}@lab.example", groups[name]) for name in PROFILES}
        other_group = lab.group("other lab", RIGHTS)
        yield {"groups": groups, "users": users, "other_group": other_group, "admin": admin}


def make_set(admin: Api, group_id: int) -> int:
    response = admin.post(
        "/api/sample-sets", json={"kind": "patient", "last_name": "Doe", "group_id": group_id}
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method.upper()} {r.path}")
@pytest.mark.parametrize("profile", list(PROFILES))
def test_route_rights(world: dict[str, Any], route: Route, profile: str) -> None:
    admin: Api = world["admin"]
    user: Api = world["users"][profile]
    own_group = world["groups"][profile]
    for own in (True, False):
        set_id = make_set(admin, own_group if own else world["other_group"])
        if route.path.endswith("/groups"):
            route = Route(
                route.method, route.path, route.right, lambda _: {"group_ids": [own_group]}
            )
        status = route.call(user, set_id)
        assert status in expected(profile, route, own), (
            f"{profile} on {'own' if own else 'other'} set: {route.method.upper()} {route.path} "
            f"gave {status}, expected {sorted(expected(profile, route, own))}"
        )


@pytest.mark.parametrize("profile", list(PROFILES))
def test_create_needs_the_create_right_in_that_group(world: dict[str, Any], profile: str) -> None:
    user: Api = world["users"][profile]
    for group_id, own in ((world["groups"][profile], True), (world["other_group"], False)):
        response = user.post(
            "/api/sample-sets", json={"kind": "generic", "name": "new", "group_id": group_id}
        )
        allowed = own and "create" in PROFILES[profile]
        assert response.status_code == (201 if allowed else 403), (profile, own, response.text)


@pytest.mark.parametrize("profile", list(PROFILES))
def test_lists_show_only_readable_sets(world: dict[str, Any], profile: str) -> None:
    admin: Api = world["admin"]
    own_set = make_set(admin, world["groups"][profile])
    other_set = make_set(admin, world["other_group"])
    items = world["users"][profile].get("/api/sample-sets").json()["items"]
    listed = {item["id"]: item for item in items}
    assert (own_set in listed) == ("read" in PROFILES[profile])
    assert other_set not in listed
    if own_set in listed:  # each item says the user's rights on it, as the set does
        shown = world["users"][profile].get(f"/api/sample-sets/{own_set}").json()["rights"]
        assert listed[own_set]["rights"] == shown
        assert set(shown) <= set(PROFILES[profile])


@pytest.mark.parametrize("profile", list(PROFILES))
def test_patient_names_need_the_anon_right(world: dict[str, Any], profile: str) -> None:
    set_id = make_set(world["admin"], world["groups"][profile])
    response = world["users"][profile].get(f"/api/sample-sets/{set_id}")
    if "read" not in PROFILES[profile]:
        assert response.status_code == 404
        return
    assert response.json()["pseudonymised"] is ("anon" not in PROFILES[profile])
