"""A download whose file is removed or replaced while it is answered is still the whole file, as
it was when the answer started: a new fuse removes the set's previous fused `.vidjil` while a
viewer may be reading it, deleting a sample removes its files, a restore replaces them.

Each test interleaves for real: the change is made when the answer's headers have gone out and
before its body is read (Litestar's `File` had stated the length, then opened the path), or
between the lookup of the fused file and its read."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient, transport
from litestar.types import Message, Send

from tests.integration.api.conftest import ADMIN
from tests.integration.api.test_results import VIDJIL, Patient, patient  # noqa: F401
from vidjil_local.db import jobs as job_records
from vidjil_local.services import audit, authz
from vidjil_local.services.results import access, fused
from vidjil_local.services.results.access import ResultRecord
from vidjil_local.services.results.file_bytes import LARGEST, FileBytes, StoredFile
from vidjil_local.services.results.fuse_params import FuseParams
from vidjil_local.services.results.fuse_work import run_fuse
from vidjil_local.services.samples import samples


class ChangedOnStart(transport.TestClientTransport[TestClient[Litestar]]):
    """The test client's transport, calling `meanwhile` once the app has sent the answer's
    status and headers, before it sends the body (in the app's event loop, which waits)."""

    def __init__(self, client: TestClient[Litestar], meanwhile: Callable[[], None]) -> None:
        super().__init__(client=client)
        self.meanwhile = meanwhile
        self.started = False

    def create_send(  # type: ignore[override]
        self, request: httpx.Request, context: transport.SendReceiveContext
    ) -> Send:
        send = super().create_send(request, context)

        async def send_then_change(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.start":
                self.started = True
                self.meanwhile()

        return send_then_change


def download_while(
    patient: Patient,  # noqa: F811
    url: str,
    meanwhile: Callable[[], None],
) -> httpx.Response:
    client = patient.api.client
    changing = ChangedOnStart(client, meanwhile)
    response = changing.handle_request(client.build_request("GET", url))
    assert changing.started, "the answer never started"
    response.read()
    return response


def imported(patient: Patient, *names: str) -> list[int]:  # noqa: F811
    ids = [patient.add_file(name, (VIDJIL / "one-sample.vidjil").read_bytes()) for name in names]
    patient.run_import()
    return ids


class Fuses:
    """The set's fused file and a new fuse of it made on the spot, as the `fuse` job does: its
    file written, then recorded, which removes the previous file."""

    def __init__(self, patient: Patient) -> None:  # noqa: F811
        self.patient = patient
        self.database = patient.lab.database
        self.results_dir: Path = patient.lab.app.state.context.settings.results_dir

    def path(self) -> Path:
        row = (
            self.database.db()
            .execute(
                "SELECT path FROM fused_results WHERE sample_set_id = ? AND config_id = ?",
                [self.patient.set_id, self.patient.import_config],
            )
            .fetchone()
        )
        return self.results_dir / str(row[0])

    def fuse_again(self) -> None:
        set_id, config_id = self.patient.set_id, self.patient.import_config
        inputs = fused.latest_inputs(self.database.db(), set_id, config_id)
        params = FuseParams(
            sample_set_id=set_id,
            config_id=config_id,
            config_name="import",
            inputs=tuple(inputs),
            results_dir=self.results_dir,
            path=f"fused/{set_id}/{config_id}/{uuid.uuid4().hex}.vidjil",
        )
        result = run_fuse(params, lambda _fraction: None)
        [job] = [j for j in job_records.list_jobs(self.database) if j.kind == "fuse"][:1]
        assert fused.record_fuse(self.database, job, params, result) == []


@pytest.fixture
def fuses(patient: Patient) -> Fuses:  # noqa: F811
    imported(patient, "S01.vidjil", "S02.vidjil")
    return Fuses(patient)


@pytest.fixture
def streamed_fuses(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every fused file is 'too large to keep in memory', so it is streamed from disk."""
    monkeypatch.setattr(access.FUSED_FILES, "largest", 0)
    yield


def fused_url(patient: Patient) -> str:  # noqa: F811
    return f"/api/sample-sets/{patient.set_id}/results?config_id={patient.import_config}"


@pytest.mark.usefixtures("streamed_fuses")
def test_a_large_fused_result_is_sent_whole_while_a_new_fuse_removes_it(
    patient: Patient,  # noqa: F811
    fuses: Fuses,
) -> None:
    old = fuses.path()
    content = old.read_bytes()
    answer = download_while(patient, fused_url(patient), fuses.fuse_again)
    assert not old.exists() and fuses.path() != old, "the new fuse removed the file being sent"
    assert answer.status_code == 200, answer.text
    assert answer.content == content
    assert answer.headers["content-length"] == str(len(content))
    assert answer.headers["content-disposition"].startswith("attachment;")
    assert answer.json()["samples"]["number"] == 2
    again = patient.api.get(fused_url(patient), headers={"if-none-match": answer.headers["etag"]})
    assert again.status_code == 200 and again.content == fuses.path().read_bytes()
    unchanged = patient.api.get(
        fused_url(patient), headers={"if-none-match": again.headers["etag"]}
    )
    assert unchanged.status_code == 304 and unchanged.content == b""


@pytest.mark.parametrize("streamed", [False, True], ids=["in memory", "streamed"])
def test_a_fused_result_replaced_between_its_lookup_and_its_read_is_the_new_one(
    patient: Patient,  # noqa: F811
    fuses: Fuses,
    monkeypatch: pytest.MonkeyPatch,
    streamed: bool,
) -> None:
    """The fused file is looked up, then a new fuse removes it before it is read: the new one
    is answered (the list of clones too), not a 404 or a 500."""
    files = FileBytes(largest=0 if streamed else LARGEST)
    monkeypatch.setattr(access, "FUSED_FILES", files)
    real_cached = files.cached
    looked_up: list[Path] = []

    def fuse_again_first(path: Path) -> StoredFile | None:
        if not looked_up:
            fuses.fuse_again()
        looked_up.append(path)
        return real_cached(path)

    monkeypatch.setattr(files, "cached", fuse_again_first)
    old = fuses.path()
    answer = patient.api.get(fused_url(patient))
    assert answer.status_code == 200, answer.text
    assert looked_up == [old, fuses.path()] and not old.exists()
    assert answer.content == fuses.path().read_bytes()

    parsed = access.RESULT_FILES
    real_parsed_cached = parsed.cached
    replaced: list[Path] = []

    def fuse_again_before_parsing(path: Path) -> Any:
        if not replaced:
            fuses.fuse_again()
        replaced.append(path)
        return real_parsed_cached(path)

    monkeypatch.setattr(parsed, "cached", fuse_again_before_parsing)
    before = fuses.path()
    clones = patient.api.get(
        f"/api/sample-sets/{patient.set_id}/clones?config_id={patient.import_config}"
    )
    assert clones.status_code == 200, clones.text
    assert replaced[0] == before and replaced[-1] == fuses.path() != before
    assert len(clones.json()["samples"]) == 2


def test_a_sample_file_is_sent_whole_when_the_sample_is_deleted_meanwhile(
    patient: Patient,  # noqa: F811
) -> None:
    [sample_id] = imported(patient, "S01.vidjil")
    settings = patient.lab.app.state.context.settings
    stored = settings.sequences_dir / f"import-{sample_id}"
    content = stored.read_bytes()

    database = patient.lab.database
    user_id = database.db().execute("SELECT id FROM users WHERE email = ?", [ADMIN["email"]])
    admin = authz.load_principal(database, int(user_id.fetchone()[0]))
    assert admin is not None

    def delete_the_files() -> None:
        actor = audit.Actor(admin.user_id, admin.email)
        samples.delete(database, settings, actor, admin, sample_id, set_id=None)

    answer = download_while(patient, f"/api/samples/{sample_id}/files/1", delete_the_files)
    assert not stored.exists()
    assert answer.status_code == 200, answer.text
    assert answer.content == content
    assert answer.headers["content-length"] == str(len(content))
    assert answer.headers["content-type"] == "application/octet-stream"
    assert "content-encoding" not in answer.headers


@pytest.mark.parametrize("kind", ["vidjil", "airr"])
def test_a_result_file_is_sent_as_it_was_when_replaced_meanwhile(
    patient: Patient,  # noqa: F811
    kind: str,
) -> None:
    [sample_id] = imported(patient, "S01.vidjil")
    result_id = patient.result_id(sample_id)
    [row] = patient.lab.database.db().query("SELECT * FROM results WHERE id = ?", [result_id])
    record = ResultRecord.from_row(row)
    path = record.file(patient.lab.app.state.context.settings.results_dir, kind)
    content = path.read_bytes()

    def replace_it() -> None:
        newer = path.with_name("newer")
        newer.write_bytes(content + b"\n" * 100)
        os.replace(newer, path)

    answer = download_while(patient, f"/api/results/{result_id}/{kind}", replace_it)
    assert answer.status_code == 200, answer.text
    assert answer.content == content
    assert answer.headers["content-length"] == str(len(content))
    assert path.name in answer.headers["content-disposition"]
