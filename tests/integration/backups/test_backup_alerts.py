"""Backup alerts go the way server-error alerts go (`admin_alerts.notify_admins`): the subject
prefix, every admin address, the mail log, and the rate limit. A backup folder that fails at every
try e-mails once per interval and says how many were held back; a storm of other alerts that used
the hour's e-mails holds the backup alert back too. Against a real SMTP listener on loopback."""

from __future__ import annotations

import pytest

from tests.conftest import Inbox
from tests.integration.backups.conftest import LabFolder
from tests.waiting import wait_until
from vidjil_local.services import admin_alerts, mail
from vidjil_local.services.backups import BackupError, Trigger, notify
from vidjil_local.services.backups.schedule import BackupScheduler
from vidjil_local.services.backups.take import take_backup
from vidjil_local.settings import Settings

ADMINS = ("it@lab.example", "boss@lab.example")


@pytest.fixture
def failing(lab_folder: LabFolder, inbox: tuple[Inbox, int]) -> Settings:
    """Settings whose backup folder is a file (every backup fails), e-mailing the admins."""
    _, port = inbox
    blocked = lab_folder.settings.data_dir.parent / "a-file-not-a-folder"
    blocked.write_text("")
    return lab_folder.settings.with_values(
        backup_dir=blocked, smtp_server=f"127.0.0.1:{port}", smtp_from_email="vidjil@lab.example",
        smtp_tls=False, smtp_admin_emails=ADMINS, smtp_email_subject_start="[Vidjil-lab]",
    )  # fmt: skip


def fail(lab_folder: LabFolder, settings: Settings) -> None:
    with pytest.raises(BackupError, match="cannot be used"):
        take_backup(settings, lab_folder.database, trigger=Trigger.COMMAND)


def test_a_folder_failing_at_every_try_mails_once_and_counts_the_rest(
    lab_folder: LabFolder, failing: Settings, inbox: tuple[Inbox, int]
) -> None:
    messages, _ = inbox
    for _ in range(4):
        fail(lab_folder, failing)
    assert sorted(str(message["To"]) for message in messages.messages) == sorted(ADMINS)
    assert {str(message["Subject"]) for message in messages.messages} == {
        "[Vidjil-lab] backup failed"
    }
    [state] = admin_alerts.states(lab_folder.database)
    assert state.key == "backup failed" and state.suppressed == 3
    logged = mail.recent(lab_folder.database)
    assert {(sent.kind, sent.status) for sent in logged} == {("admin_alert", "sent")}

    # the interval over, the next failure is e-mailed with the count of those held back
    with lab_folder.database.write() as db:
        db.execute("UPDATE admin_alerts SET last_sent_at = '2000-01-01T00:00:00+00:00'")
    fail(lab_folder, failing)
    assert len(messages.messages) == 2 * len(ADMINS)
    body = messages.messages[-1].get_payload(decode=True)
    assert isinstance(body, bytes) and "3 more alert(s) of this kind" in body.decode()
    assert str(failing.backup_dir) in body.decode()


def test_a_missed_backup_is_its_own_kind_of_alert(
    lab_folder: LabFolder, failing: Settings, inbox: tuple[Inbox, int]
) -> None:
    messages, _ = inbox
    fail(lab_folder, failing)
    notify.backup_missed(failing, "the 03:00 backup was not made", lab_folder.database)
    wait_until(
        lambda: len(messages.messages) == 2 * len(ADMINS), timeout=15, what="two alerts each"
    )
    subjects = sorted({str(message["Subject"]) for message in messages.messages})
    assert subjects == ["[Vidjil-lab] backup failed", "[Vidjil-lab] backup missed"]
    assert {state.key for state in admin_alerts.states(lab_folder.database)} == {
        "backup failed", "backup missed",
    }  # fmt: skip


def test_a_storm_of_server_errors_holds_the_backup_alert_back_too(
    lab_folder: LabFolder, failing: Settings, inbox: tuple[Inbox, int]
) -> None:
    messages, _ = inbox
    for number in range(admin_alerts.MAX_PER_WINDOW):
        admin_alerts.notify_admins(
            failing, f"server error {number}", "boom", database=lab_folder.database
        )
    sent = len(messages.messages)
    assert sent == admin_alerts.MAX_PER_WINDOW * len(ADMINS)
    fail(lab_folder, failing)
    assert len(messages.messages) == sent, "the hour's e-mails were used"
    held = {state.key: state.suppressed for state in admin_alerts.states(lab_folder.database)}
    assert held["backup failed"] == 1


def test_a_nearly_full_data_disk_is_told_once_then_again_after_it_had_room(
    lab_folder: LabFolder, failing: Settings, inbox: tuple[Inbox, int]
) -> None:
    # uploads and launches refused (507): the admins learned it from the lab
    messages, _ = inbox
    full = failing.with_values(min_free_disk_percent=100.0)  # any disk holding files is under it
    scheduler = BackupScheduler(full, lab_folder.database)
    scheduler.watch()
    scheduler.watch()  # still full: not told again, not even held back by the rate limit
    assert {str(message["Subject"]) for message in messages.messages} == {
        "[Vidjil-lab] data disk nearly full"
    }
    assert len(messages.messages) == len(ADMINS)
    body = messages.messages[0].get_payload(decode=True)
    assert isinstance(body, bytes) and "refuses uploads and analyses" in body.decode()
    [state] = admin_alerts.states(lab_folder.database)
    assert state.key == "data disk nearly full" and state.suppressed == 0

    scheduler.settings = full.with_values(min_free_disk_percent=0.0)  # room made
    scheduler.watch()
    with lab_folder.database.write() as db:  # the rate limit's interval over
        db.execute("UPDATE admin_alerts SET last_sent_at = '2000-01-01T00:00:00+00:00'")
    scheduler.settings = full
    scheduler.watch()
    assert len(messages.messages) == 2 * len(ADMINS)
