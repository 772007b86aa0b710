"""Every admin route refuses anonymous callers (401) and logged-in non-administrators (403), and
the refusal changes nothing."""

from __future__ import annotations

from typing import Any

from tests.conftest import local_client
from tests.integration.api.conftest import Api, Lab

# method, path, JSON body (valid, so the refusal cannot come from validation)
ADMIN_ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("get", "/api/users", None),
    ("post", "/api/users", {"email": "new@lab.example", "password": "pipette-9876"}),
    ("get", "/api/users/1", None),
    ("patch", "/api/users/1", {"first_name": "Mallory"}),
    ("post", "/api/users/1/password", {"password": "taken-over-1234"}),
    ("post", "/api/users/1/lock", None),
    ("post", "/api/users/1/unlock", None),
    ("get", "/api/groups", None),
    ("post", "/api/groups", {"name": "intruders", "rights": ["admin"]}),
    ("get", "/api/groups/1", None),
    ("patch", "/api/groups/2", {"rights": []}),
    ("delete", "/api/groups/2", None),
    ("put", "/api/groups/2/members/2", None),
    ("delete", "/api/groups/2/members/1", None),
    ("get", "/api/audit", None),
    ("get", "/api/audit.csv", None),
    ("get", "/api/admin/settings", None),
    ("put", "/api/admin/settings/max_wrong_passwords", {"value": 1000}),
    ("get", "/api/admin/status", None),
    ("get", "/api/admin/network", None),
    ("get", "/api/admin/workers", None),
    ("post", "/api/admin/workers", {"name": "intruder"}),
    ("post", "/api/admin/workers/1/revoke", None),
    ("post", "/api/admin/diagnostics", {"seconds": 0.1}),
]


def call(api: Api, method: str, path: str, body: dict[str, Any] | None) -> int:
    kwargs: dict[str, Any] = {} if body is None else {"json": body}
    response = getattr(api, method)(path, **kwargs)
    status: int = response.status_code
    return status


def test_admin_routes_refuse_anonymous_and_normal_users(lab: Lab, admin_api: Api) -> None:
    before = admin_api.get("/api/audit").json()["total"]
    group_id = lab.group("technicians", ("read", "create", "upload"))
    user = lab.user("tech@lab.example", group_id)
    anonymous = Api(local_client(lab.app))
    statuses = {
        (method, path): (call(anonymous, method, path, body), call(user, method, path, body))
        for method, path, body in ADMIN_ROUTES
    }
    assert statuses == {(method, path): (401, 403) for method, path, _ in ADMIN_ROUTES}
    assert admin_api.get("/api/users/1").json()["locked"] is False
    assert [group["name"] for group in admin_api.get("/api/groups").json()] == [
        "admin",
        "metrics",  # made at start for the metrics account
        "technicians",
        "user_1",
        "user_2",
    ]
    actions = {entry["action"] for entry in admin_api.get("/api/audit").json()["items"]}
    assert actions == {"login", "create_admin"}, "a refused call leaves no trace of a change"
    assert admin_api.get("/api/audit").json()["total"] == before + 1  # the user's login
