"""Users told by e-mail when their analyses end: one e-mail per set and launch, as their preference
asks, never naming a patient; real jobs (imports of results made elsewhere) and a real SMTP
listener."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Inbox, local_client
from tests.integration.api.conftest import ADMIN, Api
from tests.waiting import wait_until
from vidjil_local.api.app import create_app
from vidjil_local.settings import Settings

VIDJIL = (Path(__file__).parents[2] / "data" / "vidjil" / "one-sample.vidjil").read_bytes()


@pytest.fixture
def mail_api(mailing: Settings) -> Iterator[Api]:
    with local_client(create_app(mailing)) as client:
        api = Api(client)
        assert api.post("/api/auth/setup", json=ADMIN).status_code == 201
        yield api


def patient(api: Api) -> int:
    created = api.post(
        "/api/sample-sets",
        json={"kind": "patient", "first_name": "Jeanne", "last_name": "Dupontel",
              "id_label": "P-0042"},
    )  # fmt: skip
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def sample(api: Api, set_id: int, name: str) -> int:
    created = api.post(f"/api/sample-sets/{set_id}/samples", json={"original_name": name})
    sample_id = int(created.json()["id"])
    assert api.put(f"/api/samples/{sample_id}/files/1", content=VIDJIL).status_code == 200
    return sample_id


def launch_and_wait(api: Api, set_id: int, sample_ids: list[int]) -> list[dict[str, Any]]:
    config = next(c["id"] for c in api.get("/api/configs").json() if c["program"] == "import")
    body = {"config_id": config, "sample_ids": sample_ids}
    assert api.post(f"/api/sample-sets/{set_id}/analyses", json=body).status_code == 201

    def ended() -> list[dict[str, Any]] | None:
        jobs = [j for j in api.get(f"/api/sample-sets/{set_id}/jobs").json()
                if j["kind"] == "analysis" and j["sample_id"] in sample_ids]  # fmt: skip
        done = len(jobs) == len(sample_ids) and all(j["status"] in {"completed", "failed"}
                                                     for j in jobs)  # fmt: skip
        return jobs if done else None

    return wait_until(ended, timeout=90, what="the analyses did not end")


def analysis_mails(inbox: Inbox) -> list[Message]:
    return [m for m in inbox.messages if "analyses on" in str(m["Subject"])]


def test_one_email_for_samples_launched_together(mail_api: Api, inbox: tuple[Inbox, int]) -> None:
    set_id = patient(mail_api)
    names = [f"follow-up-{n}.vidjil" for n in range(1, 5)]
    launch_and_wait(mail_api, set_id, [sample(mail_api, set_id, name) for name in names])
    (mail,) = wait_until(lambda: analysis_mails(inbox[0]), timeout=30, what="no e-mail")
    assert mail["To"] == ADMIN["email"]
    assert mail["Subject"] == f"[Vidjil-lab] analyses on patient P-0042 (set {set_id}): 4 finished"
    text = str(mail.get_payload())
    assert all(name in text for name in names)
    assert "Dupontel" not in str(mail) and "Jeanne" not in str(mail)


def test_failures_only_and_none(mail_api: Api, inbox: tuple[Inbox, int], mailing: Settings) -> None:
    set_id = patient(mail_api)
    mail_api.put("/api/account/notifications", json={"analyses": "failed"})
    launch_and_wait(mail_api, set_id, [sample(mail_api, set_id, "fine.vidjil")])
    broken = sample(mail_api, set_id, "lost.vidjil")
    for stored in mailing.sequences_dir.glob(f"{broken}_*"):
        stored.unlink()  # the file went missing: the import fails
    jobs = launch_and_wait(mail_api, set_id, [broken])
    assert jobs[0]["status"] == "failed"
    (mail,) = wait_until(lambda: analysis_mails(inbox[0]), timeout=30, what="no e-mail")
    assert str(mail["Subject"]).endswith("1 failed")
    assert "failed    lost.vidjil (import): " in str(mail.get_payload())
    mail_api.put("/api/account/notifications", json={"analyses": "none"})
    quiet = launch_and_wait(mail_api, set_id, [sample(mail_api, set_id, "quiet.vidjil")])
    database = mail_api.client.app.state.context.database
    told = "SELECT 1 FROM job_notices WHERE job_id = ?"
    wait_until(lambda: database.db().execute(told, [quiet[0]["id"]]).fetchone(), timeout=30,
               what="the job's end was not handled")  # fmt: skip
    kinds = database.db().execute("SELECT kind FROM mail_log").fetchall()
    assert kinds == [("analyses",)], "one e-mail: the failure; none for 'fine' or 'quiet'"
