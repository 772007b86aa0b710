"""The audit trail API: filters, paging, the CSV export, and a sample set's own trail for the users
holding the `admin` right on it."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api, Lab
from vidjil_local.services import audit


def items(admin_api: Api, **params: Any) -> list[dict[str, Any]]:
    response = admin_api.get("/api/audit", params=params)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["items"]
    return found


@pytest.fixture
def trail(lab: Lab, admin_api: Api) -> dict[str, int]:
    """An admin who created a group, a user who logged in, and a failed login."""
    group = admin_api.post("/api/groups", json={"name": "=HYPERLINK(1)", "rights": ["read"]})
    group_id = group.json()["group"]["id"]
    user = lab.user("hal@lab.example", group_id)
    Api(local_client(lab.app)).login("=cmd|' /C calc'!A0", "whatever-123")
    return {"group_id": group_id, "user_id": user.get("/api/auth/me").json()["id"]}


def test_filters(admin_api: Api, trail: dict[str, int]) -> None:
    everything = items(admin_api)
    assert [entry["action"] for entry in everything] == [
        "login_failed",
        "login",
        "create_group",
        "create_admin",
    ]
    assert [e["action"] for e in items(admin_api, user_id=trail["user_id"])] == ["login"]
    assert [e["action"] for e in items(admin_api, action="login")] == ["login"]
    by_record = items(admin_api, table="groups", record_id=trail["group_id"])
    assert [e["details"]["rights"] for e in by_record] == [["read"]]
    assert items(admin_api, since="2999-01-01") == []
    assert len(items(admin_api, since=everything[-1]["at"])) == 4
    assert len(items(admin_api, since=everything[1]["at"][:19])) >= 2, "no zone: UTC"
    assert len(items(admin_api, since="2000-01-01T00:00:00+02:00")) == 4


def test_paging(admin_api: Api, trail: dict[str, int]) -> None:
    page = admin_api.get("/api/audit", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == 4 and page["limit"] == 2 and page["offset"] == 1
    assert [e["action"] for e in page["items"]] == ["login", "create_group"]


@pytest.mark.parametrize(
    "params",
    [{"since": "yesterday"}, {"limit": 0}, {"limit": 5000}, {"offset": -1}, {"record_id": "x"}],
)
def test_invalid_filters(admin_api: Api, params: dict[str, Any]) -> None:
    response = admin_api.get("/api/audit", params=params)
    assert response.status_code == 400 and response.json()["status"] == 400
    csv_response = admin_api.get("/api/audit.csv", params={"since": "yesterday"})
    assert csv_response.status_code == 400 and "since" in csv_response.json()["error"]["message"]


def test_csv_export(admin_api: Api, trail: dict[str, int]) -> None:
    response = admin_api.get("/api/audit.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["action"] for row in rows] == [e["action"] for e in items(admin_api)]
    assert rows[-1]["user_email"] == ADMIN["email"] and rows[-1]["record_id"] == "1"
    assert rows[0]["user_email"].startswith("'="), "no formula runs when opened in a spreadsheet"
    logins = admin_api.get("/api/audit.csv", params={"action": "login"}).text
    assert logins.splitlines()[0].startswith("id,at,user_id") and len(logins.splitlines()) == 2


def test_csv_export_goes_page_by_page(app: Any, admin_api: Api) -> None:
    database = app.state.context.database
    with database.write() as db:
        for number in range(1234):
            audit.record(db, audit.Actor(1, ADMIN["email"]), "view", "sample_sets", number)
    rows = list(csv.DictReader(io.StringIO(admin_api.get("/api/audit.csv").text)))
    assert len(rows) == 1234 + 1  # with the admin's creation
    ids = [int(row["id"]) for row in rows]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids)


def test_a_sample_set_trail_needs_its_admin_right(lab: Lab, admin_api: Api) -> None:
    stewards = lab.group("stewards", ("read", "create", "admin"))
    readers = lab.group("readers", ("read",))
    steward = lab.user("steward@lab.example", stewards)
    reader = lab.user("reader@lab.example", readers)
    outsider = lab.user("outsider@lab.example", lab.group("elsewhere", ("read", "admin")))
    created = steward.post("/api/sample-sets", json={"kind": "run", "name": "run 9"})
    set_id = created.json()["id"]
    admin_api.put(f"/api/sample-sets/{set_id}/groups", json={"group_ids": [stewards, readers]})
    other = admin_api.post("/api/sample-sets", json={"kind": "run", "name": "unrelated"})
    database = lab.database
    sample_actor = audit.Actor(1, ADMIN["email"])
    audit.record_now(database, sample_actor, "create", table_name="samples", record_id=5,
                     sample_set_id=set_id)  # fmt: skip
    audit.record_now(database, sample_actor, "create", table_name="samples", record_id=6,
                     sample_set_id=other.json()["id"])  # fmt: skip
    url = f"/api/sample-sets/{set_id}/audit"
    page = steward.get(url).json()
    assert [(e["table_name"], e["action"]) for e in page["items"]] == [
        ("samples", "create"),
        ("sample_sets", "change_access"),
        ("sample_sets", "create"),
    ]
    assert admin_api.get(url).json()["total"] == 3
    assert reader.get(url).status_code == 403
    assert outsider.get(url).status_code == 404
    assert admin_api.get("/api/sample-sets/999/audit").status_code == 404
    assert Api(local_client(lab.app)).get(url).status_code == 401
