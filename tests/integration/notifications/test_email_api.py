"""The E-mail admin page's API, the test e-mail, and the administrators told of a forced server
error and of a job given up, through a real SMTP listener."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import Message

import pytest

from tests.conftest import Inbox, local_client
from tests.integration.api.conftest import ADMIN, Api, Lab
from tests.integration.notifications.conftest import (
    ADMINS,
    SMTP_PASSWORD,
    SMTP_USER,
    closed_port,
    mail_settings,
)
from tests.jobkinds import TEST_KINDS, NoParams
from tests.waiting import wait_until
from vidjil_local.api.app import create_app
from vidjil_local.services.admin import server_status
from vidjil_local.settings import Settings


@pytest.fixture
def mail_api(mailing: Settings) -> Iterator[Api]:
    app = create_app(mailing.with_values(job_max_retries=1), extra_job_kinds=TEST_KINDS)
    with local_client(app) as client:
        api = Api(client)
        assert api.post("/api/auth/setup", json=ADMIN).status_code == 201
        yield api


def test_the_test_button_sends_with_the_prefix_and_is_listed(
    mail_api: Api, inbox: tuple[Inbox, int]
) -> None:
    response = mail_api.post("/api/admin/email/test", json={})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "sent"
    message = inbox[0].messages[-1]
    assert message["To"] == ADMIN["email"] and message["Subject"] == "[Vidjil-lab] test e-mail"
    page = mail_api.get("/api/admin/email").json()
    assert page["recent"][0]["kind"] == "test" and page["recent"][0]["status"] == "sent"
    assert page["settings"]["admin_emails"] == list(ADMINS) and page["problems"] == []
    audit = mail_api.get("/api/audit", params={"table": "mail_log"}).json()
    assert any(row["action"] == "send_test_email" for row in audit["items"])


def test_a_failing_server_is_shown_not_hidden(settings: Settings) -> None:
    down = mail_settings(settings, closed_port())
    with local_client(create_app(down, start_jobs=False)) as client:
        api = Api(client)
        api.post("/api/auth/setup", json=ADMIN)
        answer = api.post("/api/admin/email/test", json={"to": "it@hospital.example"}).json()
        assert answer["status"] == "failed" and "could not be sent" in answer["error"]
        page = api.get("/api/admin/email").json()
    assert page["errors"][0]["recipient"] == "it@hospital.example"
    assert any("could not be sent" in problem for problem in page["problems"])


def test_no_password_in_the_page_or_the_answer(
    settings: Settings, login_inbox: tuple[Inbox, int]
) -> None:
    with_login = mail_settings(
        settings, login_inbox[1], smtp_credentials=f"{SMTP_USER}:{SMTP_PASSWORD}"
    )
    with local_client(create_app(with_login, start_jobs=False)) as client:
        api = Api(client)
        api.post("/api/auth/setup", json=ADMIN)
        sent = api.post("/api/admin/email/test", json={"to": "x@lab.example"})
        page = api.get("/api/admin/email")
    assert sent.json()["status"] == "sent"
    assert page.json()["settings"]["user"] == SMTP_USER
    assert page.json()["settings"]["password_set"] is True
    for text in (sent.text, page.text, str(login_inbox[0].messages[-1])):
        assert SMTP_PASSWORD not in text


def test_only_admins_see_the_email_page(mail_api: Api) -> None:
    lab = Lab(mail_api.client.app)
    user = lab.user("tech@lab.example", lab.group("lab", ("read",)))
    assert user.get("/api/admin/email").status_code == 403
    assert user.post("/api/admin/email/test", json={}).status_code == 403


def test_a_forced_server_error_emails_the_admins_once_per_storm(
    mail_api: Api, inbox: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk controller on fire")

    monkeypatch.setattr(server_status, "status", broken)
    for _ in range(40):
        answer = mail_api.get("/api/admin/status")
        assert answer.status_code == 500 and "disk controller" not in answer.text

    def server_error_alerts() -> list[Message]:
        return [m for m in inbox[0].messages if "server error" in str(m["Subject"])]

    # One message per admin, sent one after the other: wait for every admin's.
    alerts = wait_until(
        lambda: server_error_alerts() if len(server_error_alerts()) >= len(ADMINS) else None,
        timeout=20, what="an admin got no alert",
    )  # fmt: skip
    assert sorted(str(m["To"]) for m in alerts) == sorted(ADMINS)
    assert (
        alerts[0]["Subject"] == "[Vidjil-lab] server error: RuntimeError on GET /api/admin/status"
    )
    body = str(alerts[0].get_payload())
    assert "disk controller on fire" in body and "Traceback" in body
    # The e-mail thread counts the alerts after the answers went out: wait for all 39.
    held = wait_until(
        lambda: [
            a for a in mail_api.get("/api/admin/email").json()["alerts"] if a["suppressed"] >= 39
        ],
        timeout=20, what="the storm was not counted",
    )  # fmt: skip
    assert held[0]["suppressed"] == 39
    assert len(server_error_alerts()) == len(ADMINS)


def test_a_job_given_up_after_its_last_retry_emails_the_admins(
    mail_api: Api, inbox: tuple[Inbox, int]
) -> None:
    runtime = mail_api.client.app.state.context.runtime
    job = runtime.submit("always_raise", NoParams())
    crashed = wait_until(
        lambda: [m for m in inbox[0].messages if "crashed" in str(m["Subject"])],
        timeout=60, what="no e-mail about the crashed job",
    )  # fmt: skip
    assert crashed[0]["Subject"] == f"[Vidjil-lab] job {job.id} (always_raise) crashed"
    # decoded: the raw quoted-printable text breaks its lines anywhere (where depends on the
    # length of the data folder's path, which the body names first)
    body = crashed[0].get_payload(decode=True)
    assert isinstance(body, bytes)
    assert "a bug in the job" in body.decode() and "after 2 attempt(s)" in body.decode()


def test_each_user_chooses_the_emails_about_their_analyses(mail_api: Api) -> None:
    assert mail_api.get("/api/account/notifications").json() == {"analyses": "all"}
    changed = mail_api.put("/api/account/notifications", json={"analyses": "failed"})
    assert changed.status_code == 200 and changed.json() == {"analyses": "failed"}
    assert mail_api.get("/api/account/notifications").json() == {"analyses": "failed"}
    refused = mail_api.put("/api/account/notifications", json={"analyses": "sometimes"})
    assert refused.status_code == 400
    mail_api.post("/api/auth/logout")
    assert mail_api.get("/api/account/notifications").status_code == 401
