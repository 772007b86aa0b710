"""User accounts managed by an administrator: register, list, edit, reset and change passwords,
lock and unlock; the last administrator is protected."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api, Lab

PASSWORD = "pipette-1234"


def register(admin_api: Api, email: str, **fields: Any) -> dict[str, Any]:
    response = admin_api.post("/api/users", json={"email": email, "password": PASSWORD, **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def actions_on(admin_api: Api, user_id: int) -> list[str]:
    page = admin_api.get("/api/audit", params={"table": "users", "record_id": user_id}).json()
    return [entry["action"] for entry in page["items"]]


def fresh_login(lab: Lab, email: str, password: str) -> int:
    status: int = Api(local_client(lab.app)).login(email, password).status_code
    return status


def test_register_list_and_log_in(lab: Lab, admin_api: Api) -> None:
    group_id = lab.group("hematology", ("read", "create"))
    user = register(
        admin_api, "ada@lab.example", first_name="Ada", last_name="Lovelace", group_ids=[group_id]
    )
    assert [group["name"] for group in user["groups"]] == ["hematology", f"user_{user['id']}"]
    assert user["is_admin"] is False and user["locked"] is False
    assert user["last_login_at"] is None and user["sets_created"] == 0
    assert fresh_login(lab, "ada@lab.example", PASSWORD) == 200
    listed = {entry["email"]: entry for entry in admin_api.get("/api/users").json()}
    assert listed[ADMIN["email"]]["is_admin"] is True
    assert listed["ada@lab.example"]["last_login_at"] is not None
    assert actions_on(admin_api, user["id"]) == ["login", "create_user"]


def test_sets_created_are_counted(admin_api: Api) -> None:
    for name in ("run 1", "run 2"):
        admin_api.post("/api/sample-sets", json={"kind": "run", "name": name})
    assert admin_api.get("/api/users/1").json()["sets_created"] == 2


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"email": "short@lab.example", "password": "abc"}, 400, "at least 8"),
        ({"email": "aaaa@lab.example", "password": "aaaaaaaaaa"}, 400, "too easy"),
        ({"email": "no-at-sign", "password": PASSWORD}, 400, "not an e-mail"),
        ({"email": ADMIN["email"], "password": PASSWORD}, 409, "already exists"),
        ({"email": "x@lab.example", "password": PASSWORD, "group_ids": [999]}, 400, "no group"),
        ({"email": "x@lab.example", "password": PASSWORD, "role": "root"}, 400, "role"),
        ({"email": "x@lab.example"}, 400, "password"),
    ],
)
def test_registration_is_validated(
    admin_api: Api, body: dict[str, Any], status: int, message: str
) -> None:
    response = admin_api.post("/api/users", json=body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert message in error["message"] + str(error["details"])
    assert len(admin_api.get("/api/users").json()) == 1, "nothing was created"


def test_edit_names_and_email(lab: Lab, admin_api: Api) -> None:
    user = register(admin_api, "bob@lab.example")
    response = admin_api.patch(
        f"/api/users/{user['id']}", json={"first_name": " Bob ", "email": "robert@lab.example"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["first_name"] == "Bob"
    assert fresh_login(lab, "robert@lab.example", PASSWORD) == 200
    taken = admin_api.patch(f"/api/users/{user['id']}", json={"email": ADMIN["email"]})
    assert taken.status_code == 409
    assert admin_api.patch(f"/api/users/{user['id']}", json={"email": "x"}).status_code == 400
    assert admin_api.patch("/api/users/999", json={"last_name": "X"}).status_code == 404
    assert actions_on(admin_api, user["id"])[1] == "update_user"


def test_admin_resets_a_password(lab: Lab, admin_api: Api) -> None:
    user = register(admin_api, "carol@lab.example")
    url = f"/api/users/{user['id']}/password"
    assert admin_api.post(url, json={"password": "short"}).status_code == 400
    assert admin_api.post(url, json={"password": "new-pipette-77"}).status_code == 204
    assert fresh_login(lab, "carol@lab.example", PASSWORD) == 401
    assert fresh_login(lab, "carol@lab.example", "new-pipette-77") == 200
    assert admin_api.post("/api/users/999/password", json={"password": "x" * 12}).status_code == 404
    assert "set_password" in actions_on(admin_api, user["id"])


def test_users_change_their_own_password(lab: Lab, admin_api: Api) -> None:
    user = lab.user("dan@lab.example")
    wrong = user.post(
        "/api/auth/password",
        json={"current_password": "guess-1234", "new_password": "better-pass-99"},
    )
    assert wrong.status_code == 403
    same = user.post(
        "/api/auth/password", json={"current_password": PASSWORD, "new_password": PASSWORD}
    )
    assert same.status_code == 400
    changed = user.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "better-pass-99"},
    )
    assert changed.status_code == 204
    assert fresh_login(lab, "dan@lab.example", "better-pass-99") == 200
    anonymous = Api(local_client(lab.app)).post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "better-pass-99"},
    )
    assert anonymous.status_code == 401


def test_lock_refuses_login_and_ends_sessions_until_unlock(lab: Lab, admin_api: Api) -> None:
    user = lab.user("eve@lab.example")
    user_id = user.get("/api/auth/me").json()["id"]
    locked = admin_api.post(f"/api/users/{user_id}/lock")
    assert locked.status_code == 200 and locked.json()["locked"] is True
    assert user.get("/api/auth/me").status_code == 401, "an open session stops at once"
    assert fresh_login(lab, "eve@lab.example", PASSWORD) == 403
    unlocked = admin_api.post(f"/api/users/{user_id}/unlock")
    assert unlocked.status_code == 200 and unlocked.json()["locked"] is False
    assert fresh_login(lab, "eve@lab.example", PASSWORD) == 200
    trail = ["login", "unlock_user", "login_refused_locked", "lock_user", "login"]
    assert actions_on(admin_api, user_id)[:5] == trail
    assert admin_api.post("/api/users/999/lock").status_code == 404
    assert admin_api.post("/api/users/999/unlock").status_code == 404


def test_the_last_admin_cannot_be_locked(lab: Lab, admin_api: Api) -> None:
    refused = admin_api.post("/api/users/1/lock")
    assert refused.status_code == 409 and "last administrator" in refused.json()["error"]["message"]
    assert admin_api.get("/api/users/1").json()["locked"] is False
    second = register(admin_api, "second-admin@lab.example")
    admin_group = next(g for g in admin_api.get("/api/groups").json() if g["name"] == "admin")
    admin_api.put(f"/api/groups/{admin_group['id']}/members/{second['id']}")
    assert admin_api.post("/api/users/1/lock").status_code == 200, "another admin remains"
    assert admin_api.get("/api/users").status_code == 401, "the locked admin is logged out"
