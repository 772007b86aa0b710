"""Groups managed by an administrator: create with a parent, edit rights, invite and kick members,
delete with its protections (admin group, personal groups, only owner of sets, last admin)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.api.conftest import Api, Lab


def create_group(admin_api: Api, name: str, **fields: Any) -> dict[str, Any]:
    response = admin_api.post("/api/groups", json={"name": name, **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()["group"]
    return body


def groups_by_name(admin_api: Api) -> dict[str, dict[str, Any]]:
    return {group["name"]: group for group in admin_api.get("/api/groups").json()}


def actions_on(admin_api: Api, group_id: int) -> list[dict[str, Any]]:
    page = admin_api.get("/api/audit", params={"table": "groups", "record_id": group_id}).json()
    items: list[dict[str, Any]] = page["items"]
    return items


def test_create_a_child_group_and_list_it(admin_api: Api) -> None:
    lab = create_group(admin_api, "hematology lab", rights=["read", "create", "upload", "save"])
    child = create_group(
        admin_api, "MRD team", description="follow-up", rights=["run", "read"], parent_id=lab["id"]
    )
    assert child["rights"] == ["read", "run"] and child["letters"] == "r"
    listed = groups_by_name(admin_api)
    assert listed["MRD team"]["parent_name"] == "hematology lab"
    assert listed["hematology lab"]["letters"] == "cus"
    assert listed["admin"]["member_count"] == 1 and listed["admin"]["letters"] == "cursea"
    assert listed["user_1"]["personal_user_id"] == 1
    assert listed["hematology lab"]["personal_user_id"] is None
    [created] = actions_on(admin_api, child["id"])
    assert created["action"] == "create_group" and created["details"]["parent_id"] == lab["id"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"name": "x", "rights": ["read", "fly"]}, 400, "unknown right"),
        ({"name": "x", "parent_id": 999}, 400, "no parent group"),
        ({"name": "admin"}, 409, "already exists"),
        ({"name": "  "}, 400, "needs a name"),
        ({"name": "user_77"}, 400, "personal groups"),
        ({"name": "x", "owner": 1}, 400, "owner"),
    ],
)
def test_group_creation_is_validated(
    admin_api: Api, body: dict[str, Any], status: int, message: str
) -> None:
    response = admin_api.post("/api/groups", json=body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert message in error["message"] + str(error["details"])
    assert "x" not in groups_by_name(admin_api)


def test_changed_rights_take_effect_and_are_audited(lab: Lab, admin_api: Api) -> None:
    group_id = lab.group("readers", ("read",))
    reader = lab.user("reader@lab.example", group_id)
    new_set = {"kind": "run", "name": "run 7", "group_id": group_id}
    assert reader.post("/api/sample-sets", json=new_set).status_code == 403
    changed = admin_api.patch(
        f"/api/groups/{group_id}", json={"rights": ["read", "create"], "description": "techs"}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["group"]["description"] == "techs"
    assert reader.post("/api/sample-sets", json=new_set).status_code == 201
    change = next(e for e in actions_on(admin_api, group_id) if e["action"] == "change_rights")
    assert change["details"] == {"before": ["read"], "after": ["read", "create"]}
    assert admin_api.patch(f"/api/groups/{group_id}", json={"rights": ["x"]}).status_code == 400
    assert admin_api.patch("/api/groups/999", json={"description": "?"}).status_code == 404


def test_invite_and_kick_members(lab: Lab, admin_api: Api) -> None:
    group_id = lab.group("biologists", ("read", "create"))
    other_group = lab.group("somewhere else", ("read", "create"))
    member = lab.user("fay@lab.example", other_group)
    user_id = member.get("/api/auth/me").json()["id"]
    invited = admin_api.put(f"/api/groups/{group_id}/members/{user_id}")
    assert invited.status_code == 200
    assert [m["email"] for m in invited.json()["members"]] == ["fay@lab.example"]
    assert admin_api.put(f"/api/groups/{group_id}/members/{user_id}").status_code == 200
    new_set = {"kind": "generic", "name": "shared", "group_id": group_id}
    assert member.post("/api/sample-sets", json=new_set).status_code == 201
    assert admin_api.delete(f"/api/groups/{group_id}/members/{user_id}").status_code == 204
    assert member.post("/api/sample-sets", json=new_set).status_code == 403
    assert admin_api.delete(f"/api/groups/{group_id}/members/{user_id}").status_code == 404
    assert admin_api.put(f"/api/groups/{group_id}/members/999").status_code == 404
    assert admin_api.put(f"/api/groups/999/members/{user_id}").status_code == 404
    trail = [(e["action"], e["details"]) for e in actions_on(admin_api, group_id)]
    assert trail == [("remove_member", {"user_id": user_id}), ("add_member", {"user_id": user_id})]


def test_the_last_admin_stays_in_the_admin_group(lab: Lab, admin_api: Api) -> None:
    admin_group = groups_by_name(admin_api)["admin"]["id"]
    refused = admin_api.delete(f"/api/groups/{admin_group}/members/1")
    assert refused.status_code == 409
    assert "last administrator" in refused.json()["error"]["message"]
    second = lab.user("second@lab.example")
    second_id = second.get("/api/auth/me").json()["id"]
    assert admin_api.put(f"/api/groups/{admin_group}/members/{second_id}").status_code == 200
    assert second.get("/api/users").status_code == 200, "the new member is an administrator"
    assert admin_api.delete(f"/api/groups/{admin_group}/members/1").status_code == 204
    assert admin_api.get("/api/users").status_code == 403, "no longer an administrator"


def test_protected_groups_cannot_be_deleted(lab: Lab, admin_api: Api) -> None:
    listed = groups_by_name(admin_api)
    refused = admin_api.delete(f"/api/groups/{listed['admin']['id']}")
    assert refused.status_code == 409 and "admin group" in refused.json()["error"]["message"]
    personal = admin_api.delete(f"/api/groups/{listed['user_1']['id']}")
    assert personal.status_code == 409 and "personal group" in personal.json()["error"]["message"]
    assert admin_api.delete("/api/groups/999").status_code == 404
    # "metrics" is made at each start, for the metrics account
    assert set(groups_by_name(admin_api)) == {"admin", "metrics", "user_1"}


def test_the_only_owner_of_sets_cannot_be_deleted(lab: Lab, admin_api: Api) -> None:
    owner = lab.group("old team", ("read", "create"))
    new_team = lab.group("new team", ("read", "create"))
    created = admin_api.post(
        "/api/sample-sets", json={"kind": "generic", "name": "archive", "group_id": owner}
    )
    set_id = created.json()["id"]
    refused = admin_api.delete(f"/api/groups/{owner}")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert "only owner of 1 sample set" in error["message"]
    assert error["details"]["sample_set_ids"] == [set_id]
    shared = admin_api.put(f"/api/sample-sets/{set_id}/groups", json={"group_ids": [new_team]})
    assert shared.status_code == 200, shared.text
    assert admin_api.delete(f"/api/groups/{owner}").status_code == 204
    assert "old team" not in groups_by_name(admin_api)
    assert actions_on(admin_api, owner)[0]["action"] == "delete_group"


def test_group_detail_lists_members(lab: Lab, admin_api: Api) -> None:
    group_id = lab.group("readers", ("read",))
    lab.user("gil@lab.example", group_id)
    detail = admin_api.get(f"/api/groups/{group_id}").json()
    assert detail["group"]["member_count"] == 1
    [member] = detail["members"]
    assert member["email"] == "gil@lab.example" and member["last_login_at"] is not None
    assert admin_api.get("/api/groups/999").status_code == 404
