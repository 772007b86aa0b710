"""The rights matrix on every route that touches a set's data: samples, uploads, analyses, jobs,
results, .analysis files and the set's audit trail.

Each profile (a group holding `read` plus one right, or nothing) owns one set with a sample, an
uploaded FASTQ, a finished IGH analysis and its fused result; another lab's group owns a set with
the same. A route on the user's own data answers 2xx when the group holds the route's right, 403
when it only lacks that right, 404 without `read`; on the other lab's data it is always 404.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api, Lab
from tests.integration.api.test_rights_matrix import PROFILES
from tests.waiting import wait_until
from vidjil_local.api.app import create_app
from vidjil_local.services.authz import RIGHTS
from vidjil_local.settings import resolve_settings

# The module fixture runs six real analyses on one worker; that setup counts in the first test's
# timeout, so the module gets the slow tests' allowance.
pytestmark = pytest.mark.slow

FASTQ = Path(__file__).parents[2] / "data" / "lab" / "diagnosis.fastq.gz"
ANALYSIS = {"vidjil_json_version": "2016b", "clones": [{"id": "x", "tag": 0}], "clusters": []}


@dataclass
class Data:
    """What one set holds, by id."""

    set_id: int
    sample_id: int
    job_id: int = 0
    result_id: int = 0
    extra: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # with {set}, {sample}, {job}, {result}
    right: str
    body: Callable[[Api, Data], dict[str, Any]] | None = None
    raw: bytes | None = None
    fresh: Callable[[Api, Data], Data] | None = None  # make fresh targets for destructive calls
    state_conflict_allowed: bool = False  # a 409 means the rights check passed (cancel a done job)

    def target(self, admin: Api, data: Data) -> Data:
        return self.fresh(admin, data) if self.fresh else data

    def call(self, user: Api, admin: Api, data: Data) -> int:
        target = self.target(admin, data)
        url = self.path.format(
            set=target.set_id, sample=target.sample_id, job=target.job_id, result=target.result_id
        )
        kwargs: dict[str, Any] = {}
        if self.body:
            kwargs["json"] = self.body(user, target)
        if self.raw is not None:
            kwargs["content"] = self.raw
        return int(getattr(user, self.method)(url, **kwargs).status_code)


def new_sample(admin: Api, set_id: int) -> int:
    body = {"original_name": "later.fastq.gz"}
    response = admin.post(f"/api/sample-sets/{set_id}/samples", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def fresh_set(group_of: Callable[[Data], int]) -> Callable[[Api, Data], Data]:
    def make(admin: Api, data: Data) -> Data:
        set_id = make_set(admin, group_of(data))
        return Data(set_id, new_sample(admin, set_id))

    return make


def fresh_sample(admin: Api, data: Data) -> Data:
    return Data(data.set_id, new_sample(admin, data.set_id))


def make_set(admin: Api, group_id: int) -> int:
    body = {"kind": "patient", "last_name": "Doe", "group_id": group_id}
    response = admin.post("/api/sample-sets", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def launch(admin: Api, data: Data, config_id: int) -> None:
    body = {"config_id": config_id, "sample_ids": [data.sample_id]}
    response = admin.post(f"/api/sample-sets/{data.set_id}/analyses", json=body)
    assert response.status_code in {200, 201, 202}, response.text


def finish(admin: Api, data: Data, config_id: int) -> None:
    def finished() -> bool:
        jobs = admin.get(f"/api/sample-sets/{data.set_id}/jobs").json()
        analyses = [job for job in jobs if job["kind"] == "analysis"]
        assert all(job["status"] != "failed" for job in jobs), jobs
        fused = admin.get(
            f"/api/sample-sets/{data.set_id}/results", params={"config_id": config_id}
        )
        results = admin.get(f"/api/sample-sets/{data.set_id}/result-files").json()
        if not (analyses and analyses[0]["status"] == "completed" and fused.status_code == 200):
            return False
        if not results:
            return False
        data.job_id = int(analyses[0]["id"])
        data.result_id = int(results[0]["id"])
        return True

    what = f"the analysis of set {data.set_id} did not finish"
    wait_until(finished, timeout=180, interval=0.3, what=what)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    settings = resolve_settings(
        tmp_path_factory.mktemp("matrix-data"), environ={}, overrides={"workers_pool": 1}
    )
    app = create_app(settings)
    with local_client(app) as client:
        admin = Api(client)
        assert admin.post("/api/auth/setup", json=ADMIN).status_code == 201
        lab = Lab(app)
        groups = {name: lab.group(f"group-{name}", rights) for name, rights in PROFILES.items()}
        users = {name: lab.user(f"user-{name}@lab.example", groups[name]) for name in PROFILES}
        other_group = lab.group("other lab", RIGHTS)
        configs = admin.get("/api/configs").json()
        config_id = next(c["id"] for c in configs if c["name"] == "IGH")
        content = FASTQ.read_bytes()
        owned: dict[str, Data] = {}
        for name, group_id in [*groups.items(), ("other", other_group)]:
            set_id = make_set(admin, group_id)
            data = Data(set_id, new_sample(admin, set_id), extra={"group": group_id})
            uploaded = admin.put(f"/api/samples/{data.sample_id}/files/1", content=content)
            assert uploaded.status_code == 200, uploaded.text
            launch(admin, data, config_id)
            owned[name] = data
        for data in owned.values():
            finish(admin, data, config_id)
        yield {
            "admin": admin,
            "users": users,
            "owned": owned,
            "groups": groups,
            "config_id": config_id,
        }


def group_of(data: Data) -> int:
    return data.extra["group"]


def routes(config_id: int) -> list[Route]:
    return [
        Route("get", "/api/sample-sets/{set}/samples", "read"),
        Route(
            "post",
            "/api/sample-sets/{set}/samples",
            "upload",
            lambda user, data: {"original_name": "new.fastq"},
        ),
        Route("get", "/api/samples/{sample}", "read"),
        Route("patch", "/api/samples/{sample}", "admin", lambda user, data: {"info": "#checked"}),
        Route("delete", "/api/samples/{sample}", "admin", fresh=fresh_sample),
        Route("get", "/api/samples/{sample}/files/1", "read"),
        Route(
            "put",
            "/api/samples/{sample}/files/1",
            "upload",
            raw=FASTQ.read_bytes(),
            fresh=fresh_sample,
        ),
        Route(
            "post",
            "/api/sample-sets/{set}/analyses",
            "run",
            lambda user, data: {"config_id": config_id, "sample_ids": [data.sample_id]},
        ),
        Route("get", "/api/sample-sets/{set}/jobs", "read"),
        Route("post", "/api/jobs/{job}/cancel", "run", state_conflict_allowed=True),
        Route("post", "/api/jobs/{job}/rerun", "run", state_conflict_allowed=True),
        Route("get", "/api/sample-sets/{set}/result-files", "read"),
        Route("get", "/api/sample-sets/{set}/results?config_id=" + str(config_id), "read"),
        Route("get", "/api/results/{result}", "read"),
        Route("get", "/api/results/{result}/clones", "read"),
        Route("get", "/api/results/{result}/vidjil", "read"),
        Route("get", "/api/results/{result}/airr", "read"),
        Route("get", "/api/sample-sets/{set}/analysis", "read"),
        Route("post", "/api/sample-sets/{set}/analysis", "save", lambda user, data: ANALYSIS),
        Route("get", "/api/sample-sets/{set}/analysis/versions", "read"),
        Route("get", "/api/sample-sets/{set}/audit", "admin"),
        Route("get", "/api/sample-sets/{set}/qc", "read"),
        Route("get", "/api/sample-sets/{set}/qc?config_id=" + str(config_id), "read"),
        Route("get", "/api/sample-sets/{set}/qc.tsv", "read"),
        Route("get", "/api/results/{result}/log", "read"),
        Route("get", "/api/sample-sets/{set}/archive.zip", "read"),
        Route("get", "/api/sample-sets/{set}/archive.zip?reads=true", "read"),
        Route("get", "/api/compare.vidjil?results={result}", "read"),
        Route("delete", "/api/sample-sets/{set}", "admin", fresh=fresh_set(group_of)),
    ]


ROUTE_NAMES = [
    f"{r.method.upper()} {r.path.replace('?config_id=0', '?config_id')}" for r in routes(0)
]


def expected(profile: str, route: Route, own: bool) -> set[int]:
    rights = PROFILES[profile]
    if not own or "read" not in rights:
        return {404}
    if route.right in rights:
        return {200, 201, 202, 204} | ({409} if route.state_conflict_allowed else set())
    return {403}


@pytest.mark.parametrize("index", range(len(ROUTE_NAMES)), ids=ROUTE_NAMES)
@pytest.mark.parametrize("profile", list(PROFILES))
def test_route_rights_on_set_data(world: dict[str, Any], profile: str, index: int) -> None:
    route = routes(world["config_id"])[index]
    admin: Api = world["admin"]
    user: Api = world["users"][profile]
    for own in (True, False):
        data = world["owned"][profile if own else "other"]
        status = route.call(user, admin, data)
        assert status in expected(profile, route, own), (
            f"{profile} on {'own' if own else 'other'} data: {route.method.upper()} {route.path} "
            f"gave {status}, expected {sorted(expected(profile, route, own))}"
        )


@pytest.mark.parametrize("profile", list(PROFILES))
def test_adding_a_sample_to_another_set_needs_upload_on_both(
    world: dict[str, Any], profile: str
) -> None:
    admin: Api = world["admin"]
    user: Api = world["users"][profile]
    own = world["owned"][profile]
    destination = make_set(admin, world["groups"][profile])
    for source, readable in ((own, True), (world["owned"]["other"], False)):
        response = user.post(f"/api/samples/{source.sample_id}/sets", json={"set_id": destination})
        rights = PROFILES[profile]
        if not readable or "read" not in rights:
            assert response.status_code == 404, (profile, response.text)
        elif "upload" in rights:
            assert response.status_code in {200, 201}, (profile, response.text)
        else:
            assert response.status_code == 403, (profile, response.text)


@pytest.mark.parametrize("profile", list(PROFILES))
def test_comparing_with_another_labs_result_reveals_nothing(
    world: dict[str, Any], profile: str
) -> None:
    user: Api = world["users"][profile]
    own, other = world["owned"][profile].result_id, world["owned"]["other"].result_id
    for results in (f"{own},{other}", f"{other},{own}"):
        response = user.get("/api/compare.vidjil", params={"results": results})
        assert response.status_code == 404, (profile, results, response.text)
        assert response.json()["error"]["code"] == "not_found" and "clones" not in response.text
