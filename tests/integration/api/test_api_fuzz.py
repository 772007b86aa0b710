"""The whole API against its own OpenAPI document, on a real `vidjil-local serve`: schemathesis
generates valid and invalid requests for every operation and sends each as an administrator
and as a plain lab member. No answer may be a 5xx, and every answer must be one the document
describes (status, content type, body schema).

The generated requests are bounded (`EXAMPLES` per operation and mode, derandomized: the same
cases at each run) so the suite stays within a few minutes. Requests that would cut the test's
own access are redirected, never dropped: a user id naming one of the two actors becomes a
bystander's, an actor logged out by a case logs in again, and two-factor login is switched off
again after a settings change. Only `/api/admin/quit` is not sent as the administrator (it stops the
server; the plain user still gets its 403).
"""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.app_process import PYTHON_APP, start_app, stop, wait_for_url

EXAMPLES = 8  # per operation and mode (valid, invalid), each sent as both actors
PASSWORD = "Quartz-Pelican-Harbor-71"
ADMIN_EMAIL, MEMBER_EMAIL, BYSTANDER_EMAIL = (
    "admin@lab.example",
    "member@lab.example",
    "bystander@lab.example",
)
READS = b"@r1\nACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTAC\n+\n" + b"I" * 42 + b"\n"
Case = schemathesis.Case[Any]
Operation = schemathesis.APIOperation[Any, Any, Any, Any]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@dataclass
class Actor:
    email: str
    base_url: str
    data_dir: Path
    session: requests.Session = field(default_factory=requests.Session)
    user_id: int = 0

    def log_in(self) -> None:
        """A fresh login; slowed-down logins (the fuzzing sends wrong passwords from this
        address too) are lifted the way an administrator at the machine would."""
        self.session = requests.Session()
        self.session.get(self.base_url + "/api/auth/status", timeout=30)
        self.session.headers["x-csrftoken"] = self.session.cookies.get("csrftoken") or ""
        answer = self._post_login()
        if answer.status_code == 429:
            unlock(self.data_dir, self.email)
            answer = self._post_login()
        assert answer.status_code == 200, answer.text
        self.user_id = int(answer.json()["id"])

    def _post_login(self) -> requests.Response:
        return self.session.post(
            self.base_url + "/api/auth/login",
            json={"email": self.email, "password": PASSWORD},
            timeout=30,
        )

    def still_logged_in(self) -> None:
        if self.session.get(self.base_url + "/api/auth/me", timeout=30).status_code != 200:
            self.log_in()


@dataclass
class World:
    base_url: str
    admin: Actor
    member: Actor
    bystander_id: int


def unlock(data_dir: Path, email: str) -> None:
    subprocess.run(
        [*PYTHON_APP, "--data-dir", str(data_dir), "users", "unlock", email],
        check=True,
        capture_output=True,
        timeout=60,
    )


def _furnish(base_url: str, data_dir: Path) -> World:
    """The first admin; a lab group holding every right with a member; a bystander; a patient
    of the lab with one uploaded sample: ids 1-3 lead somewhere."""
    admin = Actor(ADMIN_EMAIL, base_url, data_dir)
    admin.session.get(base_url + "/api/auth/status", timeout=30)
    admin.session.headers["x-csrftoken"] = admin.session.cookies.get("csrftoken") or ""
    account = {"email": ADMIN_EMAIL, "password": PASSWORD}
    created = admin.session.post(base_url + "/api/auth/setup", json=account, timeout=30)
    assert created.status_code == 201, created.text
    admin.log_in()

    def post(path: str, body: dict[str, Any]) -> Any:
        answer = admin.session.post(base_url + path, json=body, timeout=30)
        assert answer.status_code == 201, answer.text
        return answer.json()

    rights = ["admin", "read", "anon", "upload", "run", "save", "create"]
    lab = post("/api/groups", {"name": "lab", "rights": rights})["group"]["id"]
    post("/api/users", {"email": MEMBER_EMAIL, "password": PASSWORD, "group_ids": [lab]})
    bystander = post("/api/users", {"email": BYSTANDER_EMAIL, "password": PASSWORD})["id"]
    patient = post("/api/sample-sets", {"kind": "patient", "id_label": "P-1", "group_id": lab})
    sample = post(f"/api/sample-sets/{patient['id']}/samples", {"original_name": "r.fastq"})
    uploaded = admin.session.put(
        f"{base_url}/api/samples/{sample['id']}/files/1", data=READS, timeout=30
    )
    assert uploaded.status_code == 200, uploaded.text
    member = Actor(MEMBER_EMAIL, base_url, data_dir)
    member.log_in()
    return World(base_url, admin, member, bystander)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    data_dir = tmp_path_factory.mktemp("fuzzed")
    server = start_app(data_dir, "serve", "--port", "0", env={"VIDJIL_WORKER_COUNT": "1"})
    try:
        base_url = wait_for_url(data_dir, server)
        yield _furnish(base_url, data_dir)
    finally:
        output = stop(server)
    assert "Traceback" not in output, output


@pytest.fixture(scope="module")
def api_schema(world: World) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(world.base_url + "/api/schema/openapi.json")


def _redirected(case: Case, world: World, actor: Actor) -> bool:
    """Point the case away from the actors themselves; False when it must not be sent."""
    if case.operation.path == "/api/admin/quit" and actor is world.admin:
        return False
    parameters = case.path_parameters or {}
    if parameters.get("user_id") in (world.admin.user_id, world.member.user_id):
        parameters["user_id"] = world.bystander_id
    return True


def _send(case: Case, world: World, actor: Actor) -> schemathesis.Response | None:
    if not _redirected(case, world, actor):
        return None
    actor.still_logged_in()  # a case may have logged it out
    answer = case.call_and_validate(session=actor.session, checks=CHECKS, allow_redirects=False)
    if case.operation.path.startswith("/api/admin/settings/") and actor is world.admin:
        world.admin.still_logged_in()
        off = world.admin.session.put(
            world.base_url + "/api/admin/settings/two_factor_required",
            json={"value": False},
            timeout=30,
        )
        assert off.status_code == 200, off.text
    return answer


@dataclass
class Tally:
    cases: int = 0
    answers: Counter[int] = field(default_factory=Counter)
    failures: dict[str, str] = field(default_factory=dict)  # the first of each operation


def _fuzz(operation: Operation, mode: GenerationMode, world: World, tally: Tally) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],  # no shrinking: every failure is listed
    )
    def each(case: Case) -> None:
        tally.cases += 1
        for actor in (world.admin, world.member):
            try:
                answer = _send(case, world, actor)
            except (Exception, BaseExceptionGroup) as failure:  # a failed check: go on
                where = f"{operation.label} ({mode}, as {actor.email})"
                tally.failures.setdefault(where, f"{failure}"[:1500])
            else:
                if answer is not None:
                    tally.answers[answer.status_code] += 1

    try:
        each()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE  # nothing to make invalid (no parameter, no body)


@pytest.mark.timeout(900)
def test_no_request_makes_a_server_error_or_an_undocumented_answer(
    api_schema: schemathesis.BaseSchema, world: World
) -> None:
    tally = Tally()
    for result in api_schema.get_all_operations():
        assert isinstance(result, Ok), result  # the document is a valid OpenAPI document
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, world, tally)
    print(f"{tally.cases} cases, answers by status: {sorted(tally.answers.items())}")
    assert tally.cases >= 74 * EXAMPLES, "every operation was tried"
    assert not tally.failures, "\n\n".join(f"{k}:\n{v}" for k, v in tally.failures.items())
