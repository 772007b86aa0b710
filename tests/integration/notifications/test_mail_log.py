"""The log of the app's e-mails against a real SMTP listener: sent, retried, given up, never sent
twice, and never a password in it."""

from __future__ import annotations

import threading

from tests.conftest import Inbox
from tests.integration.notifications.conftest import (
    SMTP_PASSWORD,
    SMTP_USER,
    closed_port,
    mail_settings,
)
from tests.waiting import wait_until
from vidjil_local.db import Database
from vidjil_local.services import mail
from vidjil_local.settings import Settings


def dump(database: Database) -> str:
    return "\n".join(database.db().conn.iterdump())


def test_a_sent_email_is_logged_without_its_body(
    database: Database, mailing: Settings, inbox: tuple[Inbox, int]
) -> None:
    sent = mail.send_logged(
        database, mailing, kind="test", to="tech@lab.example", subject="hello", body="the text"
    )
    assert sent.status == "sent" and sent.attempts == 1 and sent.error == ""
    message = inbox[0].messages[-1]
    assert message["To"] == "tech@lab.example" and message["Subject"] == "hello"
    assert "the text" in str(message.get_payload())
    body = database.db().execute("SELECT body FROM mail_log WHERE id = ?", [sent.id]).fetchone()
    assert body == (None,), "the text is not kept once sent"


def test_a_server_down_is_tried_again_then_given_up(database: Database, settings: Settings) -> None:
    down = mail_settings(settings, closed_port())
    with database.write() as db:
        mail_id = mail.queue(db, kind="analyses", to="a@lab.example", subject="s", body="b")
    assert mail.deliver_due(database, down) == 0
    first = mail.get(database, mail_id)
    assert first.status == "queued" and first.attempts == 1
    assert "could not be sent" in first.error
    assert mail.deliver_due(database, down) == 0, "not due again before its retry time"
    for _ in range(mail.MAX_ATTEMPTS - 1):
        database.db().execute("UPDATE mail_log SET next_attempt_at = '2000-01-01' WHERE id = ?",
                              [mail_id])  # fmt: skip
        mail.deliver_due(database, down)
    last = mail.get(database, mail_id)
    assert last.status == "failed" and last.attempts == mail.MAX_ATTEMPTS
    assert mail.recent(database, failed_only=True)[0].id == mail_id


def test_a_retry_goes_out_once_the_server_is_back(
    database: Database, settings: Settings, inbox: tuple[Inbox, int]
) -> None:
    with database.write() as db:
        mail_id = mail.queue(db, kind="analyses", to="a@lab.example", subject="late", body="b")
    mail.deliver_due(database, mail_settings(settings, closed_port()))
    database.db().execute("UPDATE mail_log SET next_attempt_at = '2000-01-01'")
    assert mail.deliver_due(database, mail_settings(settings, inbox[1])) == 1
    assert mail.get(database, mail_id).status == "sent"
    assert [m["Subject"] for m in inbox[0].messages] == ["late"]


def test_two_senders_never_send_an_email_twice(
    database: Database, mailing: Settings, inbox: tuple[Inbox, int]
) -> None:
    with database.write() as db:
        for number in range(8):
            mail.queue(db, kind="analyses", to="a@lab.example", subject=f"n{number}", body="b")
    threads = [threading.Thread(target=mail.deliver_due, args=(database, mailing)) for _ in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    subjects = sorted(str(message["Subject"]) for message in inbox[0].messages)
    assert subjects == [f"n{number}" for number in range(8)]


def test_a_login_refused_shows_no_password(
    database: Database, settings: Settings, login_inbox: tuple[Inbox, int]
) -> None:
    wrong = "Wrong-pw-4567"
    refused = mail_settings(settings, login_inbox[1], smtp_credentials=f"{SMTP_USER}:{wrong}")
    sent = mail.send_logged(database, refused, kind="test", to="a@lab.example", subject="s",
                            body="b")  # fmt: skip
    assert sent.status == "failed" and "could not be sent" in sent.error
    assert wrong not in dump(database) and not login_inbox[0].messages
    right = mail_settings(settings, login_inbox[1], smtp_credentials=f"{SMTP_USER}:{SMTP_PASSWORD}")
    assert mail.send_logged(database, right, kind="test", to="a@lab.example", subject="s",
                            body="b").status == "sent"  # fmt: skip
    wait_until(lambda: login_inbox[0].messages, timeout=10, what="no e-mail arrived")
    assert SMTP_PASSWORD not in dump(database)


def test_the_password_is_taken_out_of_any_error_text(settings: Settings) -> None:
    with_login = settings.with_values(smtp_credentials="user:pa55-Word")
    assert mail.scrub(with_login, "535 pa55-Word is wrong") == "535 *** is wrong"
    assert mail.scrub(settings, "nothing to hide") == "nothing to hide"
