"""The rights matrix on the routes that give access to others: sharing a set with groups
(`PUT /api/sample-sets/{id}/groups`, and the groups `GET` on it offers) and linking a sample
into another set (`POST /api/samples/{id}/sets`). Neither may give the acting user a right they
do not hold, nor hand a lab's data to a group the user is not in (docs/admin-guide.md, "Who may
share what").

Each profile's user belongs to its profile group (`read` plus one right, or nothing), to a
smaller group holding only `read`, and to a group holding every right (as a personal group
does); another lab's group holds every right and has none of these users.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api, Lab
from tests.integration.api.test_rights_matrix import PROFILES
from vidjil_local.api.app import create_app
from vidjil_local.services.accounts import members
from vidjil_local.services.authz import RIGHTS
from vidjil_local.settings import resolve_settings

SAMPLE_RIGHTS = ("read", "upload", "run", "admin")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    settings = resolve_settings(
        tmp_path_factory.mktemp("sharing"), environ={}, overrides={"workers_pool": 1}
    )
    app = create_app(settings, start_jobs=False)
    with local_client(app) as client:
        admin = Api(client)
        assert admin.post("/api/auth/setup", json=ADMIN).status_code == 201
        lab = Lab(app)
        groups: dict[str, dict[str, int]] = {}
        users = {}
        for name, rights in PROFILES.items():
            groups[name] = {
                "own": lab.group(f"group-{name}", rights),
                "lesser": lab.group(f"lesser-{name}", ("read",)),
                "full": lab.group(f"full-{name}", RIGHTS),
            }
            users[name] = lab.user(f"user-{name}@lab.example", *groups[name].values())
        other_lab = lab.group("other lab", RIGHTS)
        yield {"admin": admin, "users": users, "groups": groups, "other_lab": other_lab}


def make_set(admin: Api, *group_ids: int) -> int:
    body = {"kind": "patient", "last_name": "Doe", "group_id": group_ids[0]}
    set_id = int(admin.post("/api/sample-sets", json=body).json()["id"])
    if len(group_ids) > 1:
        shared = admin.put(f"/api/sample-sets/{set_id}/groups", json={"group_ids": group_ids})
        assert shared.status_code == 200, shared.text
    return set_id


def make_sample(admin: Api, set_id: int) -> int:
    body = {"original_name": "r.fastq"}
    return int(admin.post(f"/api/sample-sets/{set_id}/samples", json=body).json()["id"])


def share(user: Api, set_id: int, group_ids: list[int]) -> int:
    response = user.put(f"/api/sample-sets/{set_id}/groups", json={"group_ids": group_ids})
    return int(response.status_code)


def refused_unless_readable(profile: str) -> int:
    return 404 if "read" not in PROFILES[profile] else 403


@pytest.mark.parametrize("profile", list(PROFILES))
def test_a_set_admin_may_share_with_own_groups_of_no_greater_rights(
    world: dict[str, Any], profile: str
) -> None:
    groups = world["groups"][profile]
    set_id = make_set(world["admin"], groups["own"])
    status = share(world["users"][profile], set_id, [groups["own"], groups["lesser"]])
    rights = PROFILES[profile]
    expected = 200 if {"read", "admin"} <= set(rights) else refused_unless_readable(profile)
    assert status == expected, (profile, status)


@pytest.mark.parametrize("profile", list(PROFILES))
def test_sharing_with_an_own_group_holding_more_rights_is_refused(
    world: dict[str, Any], profile: str
) -> None:
    """The escalation: a user holding `admin` on a set gave it to their personal group (every
    right), gaining `anon`, `upload`, `run` and `save` on it."""
    groups = world["groups"][profile]
    set_id = make_set(world["admin"], groups["own"])
    status = share(world["users"][profile], set_id, [groups["own"], groups["full"]])
    assert status == refused_unless_readable(profile), (profile, status)


@pytest.mark.parametrize("profile", list(PROFILES))
def test_a_set_cannot_be_handed_to_a_group_one_is_not_in(
    world: dict[str, Any], profile: str
) -> None:
    groups = world["groups"][profile]
    set_id = make_set(world["admin"], groups["own"])
    for wanted in ([groups["own"], world["other_lab"]], [world["other_lab"]]):
        status = share(world["users"][profile], set_id, wanted)
        assert status == refused_unless_readable(profile), (profile, wanted, status)


@pytest.mark.parametrize("profile", list(PROFILES))
def test_another_labs_access_cannot_be_taken_away(world: dict[str, Any], profile: str) -> None:
    groups = world["groups"][profile]
    set_id = make_set(world["admin"], groups["own"], world["other_lab"])
    status = share(world["users"][profile], set_id, [groups["own"]])
    assert status == refused_unless_readable(profile), (profile, status)


def test_administrators_share_with_any_group(world: dict[str, Any]) -> None:
    groups = world["groups"]["admin"]
    set_id = make_set(world["admin"], groups["own"])
    wanted = [groups["own"], groups["full"], world["other_lab"]]
    assert share(world["admin"], set_id, wanted) == 200
    assert share(world["admin"], set_id, [world["other_lab"]]) == 200


@pytest.mark.parametrize("profile", list(PROFILES))
def test_the_groups_offered_for_sharing_are_exactly_those_accepted(
    world: dict[str, Any], profile: str
) -> None:
    """`GET /api/sample-sets/{id}/groups` (what the set page offers) agrees with the PUT."""
    groups = world["groups"][profile]
    user = world["users"][profile]
    set_id = make_set(world["admin"], groups["own"])
    answer = user.get(f"/api/sample-sets/{set_id}/groups")
    if not {"read", "admin"} <= set(PROFILES[profile]):
        assert answer.status_code == refused_unless_readable(profile), (profile, answer.text)
        return
    offered = {choice["id"] for choice in answer.json()}
    candidates = [*groups.values(), world["other_lab"]]
    accepted = {group for group in candidates if share(user, set_id, [groups["own"], group]) == 200}
    assert offered == accepted == {groups["own"], groups["lesser"]}, profile
    everything = {
        choice["id"] for choice in world["admin"].get(f"/api/sample-sets/{set_id}/groups").json()
    }
    assert set(candidates) <= everything


def link(user: Api, sample_id: int, set_id: int) -> int:
    response = user.post(f"/api/samples/{sample_id}/sets", json={"set_id": set_id})
    return int(response.status_code)


@pytest.mark.parametrize("profile", list(PROFILES))
def test_linking_into_a_set_giving_more_rights_on_the_sample_is_refused(
    world: dict[str, Any], profile: str
) -> None:
    """The escalation: with `read` and `upload` on a lab's sample, a user linked it into a set
    of their own (every right) and could then rename it and edit its information."""
    groups = world["groups"][profile]
    source = make_set(world["admin"], groups["own"])
    sample_id = make_sample(world["admin"], source)
    destination = make_set(world["admin"], groups["full"])
    user = world["users"][profile]
    status = link(user, sample_id, destination)
    assert status == refused_unless_readable(profile), (profile, status)
    edited = user.patch(f"/api/samples/{sample_id}", json={"info": "renamed #mine"})
    allowed = {"read", "admin"} <= set(PROFILES[profile])
    assert edited.status_code == (200 if allowed else refused_unless_readable(profile))


@pytest.mark.parametrize("profile", list(PROFILES))
def test_linking_into_a_set_of_no_greater_rights_needs_upload_on_both(
    world: dict[str, Any], profile: str
) -> None:
    groups = world["groups"][profile]
    source = make_set(world["admin"], groups["full"])  # every right on the sample
    destination = make_set(world["admin"], groups["own"])
    status = link(world["users"][profile], make_sample(world["admin"], source), destination)
    rights = PROFILES[profile]
    expected = 200 if "upload" in rights else refused_unless_readable(profile)
    assert status == expected, (profile, status)


def test_a_personal_group_cannot_lift_a_lab_members_rights(lab: Lab, admin_api: Api) -> None:
    """Findings 1 and 2 with real accounts: a user registered by the administrator has a
    personal group with every right; in the lab's group they hold only some."""
    team = lab.group("hematology", ("read", "upload", "admin"))
    registered = admin_api.post(
        "/api/users",
        json={"email": "tech@lab.example", "password": "pipette-1234", "group_ids": [team]},
    ).json()
    personal = next(g["id"] for g in registered["groups"] if g["name"].startswith("user_"))
    patient = admin_api.post(
        "/api/sample-sets",
        json={"kind": "patient", "first_name": "Ada", "last_name": "Lovelace", "group_id": team},
    ).json()["id"]
    sample_id = make_sample(admin_api, patient)
    tech = Api(local_client(lab.app))
    assert tech.login("tech@lab.example", "pipette-1234").status_code == 200
    assert share(tech, patient, [team, personal]) == 403
    assert tech.get(f"/api/sample-sets/{patient}").json()["first_name"] == ""  # still no anon
    cohort = tech.post(
        "/api/sample-sets", json={"kind": "generic", "name": "mine", "group_id": personal}
    ).json()["id"]
    assert link(tech, sample_id, cohort) == 403
    with lab.database.write() as db:
        members.set_rights(db, team, ["read", "upload"])
    assert tech.patch(f"/api/samples/{sample_id}", json={"info": "renamed"}).status_code == 403
