"""Input out of range or malformed at the edge answers a 4xx in the error envelope, never a 500:
ids and offsets beyond SQLite's integers, dates out of range, absurd headers, deeply nested JSON,
names that differ only by spaces, NUL bytes in a path."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.api.conftest import Api
from vidjil_local import __version__

BEYOND_SQLITE = 2**63  # SQLite integers stop at 2**63 - 1: this used to raise OverflowError


def integer_parameters(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], str]]:
    """(method, path, operation, parameter name) for every integer path or query parameter."""
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if "integer" in json.dumps(parameter.get("schema", {})):
                    found.append((method, path, operation, parameter["name"]))
    return found


def request_with(
    api: Api,
    method: str,
    path: str,
    operation: dict[str, Any],
    name: str,
    value: object,
    headers: dict[str, str] | None = None,
) -> int:
    """Call the operation with `name` set to `value` and every other parameter plausible."""
    query: dict[str, object] = {}
    url = path
    for parameter in operation.get("parameters", []):
        integer = "integer" in json.dumps(parameter.get("schema", {}))
        given = value if parameter["name"] == name else (1 if integer else "human")
        if parameter["in"] == "path":
            url = url.replace("{" + parameter["name"] + "}", str(given))
        elif parameter["name"] == name or parameter.get("required"):
            query[parameter["name"]] = given
    body: Any = {} if method in ("post", "put", "patch") else None
    sent = {"x-csrftoken": api.client.cookies.get("csrftoken") or "", **(headers or {})}
    params: Any = query
    answer = api.client.request(method.upper(), url, params=params, headers=sent, json=body)
    return int(answer.status_code)


def worker_headers(admin_api: Api) -> dict[str, str]:
    """What a worker machine sends (api/workers.py): its token and the server's version."""
    created = admin_api.post("/api/admin/workers", json={"name": "edge"})
    assert created.status_code == 201, created.text
    return {"authorization": f"Bearer {created.json()['token']}", "x-vidjil-version": __version__}


def test_integer_parameters_beyond_sqlite_integers_are_refused_not_crashing(
    admin_api: Api,
) -> None:
    schema = admin_api.get("/api/schema/openapi.json").json()
    cases = integer_parameters(schema)
    assert len(cases) > 40
    worker = worker_headers(admin_api)
    crashed = []
    for method, path, operation, name in cases:
        headers = worker if path.startswith("/api/worker/") else None
        status = request_with(admin_api, method, path, operation, name, BEYOND_SQLITE, headers)
        if status != 400:
            crashed.append(f"{method.upper()} {path} {name}={BEYOND_SQLITE}: {status}")
    assert not crashed, "\n".join(crashed)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("put", "/api/sample-sets/1/groups", {"group_ids": [BEYOND_SQLITE]}),
        ("post", "/api/samples/1/sets", {"set_id": BEYOND_SQLITE}),
        (
            "post",
            "/api/users",
            {"email": "a@lab.example", "password": "x" * 12, "group_ids": [BEYOND_SQLITE]},
        ),
        ("post", "/api/groups", {"name": "cohort", "parent_id": BEYOND_SQLITE}),
        ("post", "/api/sample-sets", {"kind": "generic", "name": "x", "group_id": BEYOND_SQLITE}),
        ("post", "/api/sample-sets/1/analyses", {"config_id": BEYOND_SQLITE}),
        ("post", "/api/sample-sets/1/analyses", {"config_id": 1, "sample_ids": [BEYOND_SQLITE]}),
    ],
)
def test_ids_beyond_sqlite_integers_in_a_body_are_refused(
    admin_api: Api, method: str, path: str, body: dict[str, Any]
) -> None:
    admin_api.post("/api/sample-sets", json={"kind": "generic", "name": "one"})
    response = getattr(admin_api, method)(path, json=body)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "invalid"


@pytest.mark.parametrize("since", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"])
def test_an_audit_date_out_of_the_calendar_is_refused(admin_api: Api, since: str) -> None:
    for url in ("/api/audit", "/api/audit.csv"):
        response = admin_api.get(url, params={"since": since})
        assert response.status_code == 400, response.text
        assert "since" in response.json()["error"]["message"]


def test_a_content_range_of_5000_digits_is_refused(admin_api: Api) -> None:
    set_id = admin_api.post("/api/sample-sets", json={"kind": "generic", "name": "s"}).json()["id"]
    sample = admin_api.post(
        f"/api/sample-sets/{set_id}/samples", json={"original_name": "r.fastq"}
    ).json()
    digits = "9" * 5000
    response = admin_api.client.put(
        f"/api/samples/{sample['id']}/files/1",
        content=b"@r\nACGT\n+\nIIII\n",
        headers={**admin_api._headers(), "content-range": f"bytes 0-15/{digits}"},
    )
    assert response.status_code == 400, response.text
    assert admin_api.get(f"/api/samples/{sample['id']}").json()["status"] == "waiting"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [100, 1000, 100_000])
def test_json_nested_too_deep_is_refused(admin_api: Api, depth: int) -> None:
    set_id = admin_api.post("/api/sample-sets", json={"kind": "generic", "name": "s"}).json()["id"]
    headers = {**admin_api._headers(), "content-type": "application/json"}
    bodies = {
        "/api/sample-sets": '{"kind": "generic", "name": ' + nested(depth) + "}",
        f"/api/sample-sets/{set_id}/analysis": '{"clones": ' + nested(depth) + "}",
    }
    for url, body in bodies.items():
        response = admin_api.client.post(url, content=body, headers=headers)
        assert response.status_code == 400, (url, response.text[:300])
        assert "deep" in response.json()["error"]["message"]


def test_a_json_body_of_ordinary_depth_still_works(admin_api: Api) -> None:
    set_id = admin_api.post("/api/sample-sets", json={"kind": "generic", "name": "s"}).json()["id"]
    analysis: dict[str, object] = {
        "vidjil_json_version": "2016b",
        "clones": [{"id": "x", "tag": 0}],
        "clusters": [],
        "samples": {"order": [[[1, 2]]]},  # a few levels, as real files have
    }
    saved = admin_api.post(f"/api/sample-sets/{set_id}/analysis", json=analysis)
    assert saved.status_code == 201, saved.text


@pytest.mark.parametrize("name", [" admin", "admin ", "  lab  "])
def test_a_group_name_differing_only_by_spaces_is_a_conflict(admin_api: Api, name: str) -> None:
    assert (
        admin_api.post("/api/groups", json={"name": "lab", "rights": ["read"]}).status_code == 201
    )
    response = admin_api.post("/api/groups", json={"name": name, "rights": ["read"]})
    assert response.status_code == 409, response.text
    assert response.json()["error"]["code"] == "conflict"


@pytest.mark.parametrize("path", ["/index.html%00.js", "/assets/%00", "/vendor/swagger-ui/%00x"])
def test_a_nul_byte_in_a_path_is_refused(admin_api: Api, path: str) -> None:
    response = admin_api.get(path)
    assert 400 <= response.status_code < 500, response.text
