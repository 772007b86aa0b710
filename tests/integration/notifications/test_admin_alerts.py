"""E-mails to the administrators: prefixed, to every address of smtp_admin_emails, and rate-limited
so that a storm sends a few e-mails, with the count of what was held back."""

from __future__ import annotations

from tests.conftest import Inbox
from tests.integration.notifications.conftest import ADMINS
from vidjil_local.db import Database
from vidjil_local.services import admin_alerts
from vidjil_local.settings import Settings


def test_an_alert_goes_to_every_admin_with_the_prefix(
    database: Database, mailing: Settings, inbox: tuple[Inbox, int]
) -> None:
    outcome = admin_alerts.notify_admins(mailing, "backup failed", "the share is gone")
    assert outcome.sent and len(outcome.mail_ids) == len(ADMINS)
    assert sorted(str(m["To"]) for m in inbox[0].messages) == sorted(ADMINS)
    assert {str(m["Subject"]) for m in inbox[0].messages} == {"[Vidjil-lab] backup failed"}


def test_a_storm_of_one_error_sends_one_alert_and_counts_the_rest(
    database: Database, mailing: Settings, inbox: tuple[Inbox, int]
) -> None:
    outcomes = [
        admin_alerts.notify_admins(mailing, "server error", "boom", key="500 x", database=database)
        for _ in range(300)
    ]
    assert sum(outcome.sent for outcome in outcomes) == 1
    assert len(inbox[0].messages) == len(ADMINS)
    (state,) = admin_alerts.states(database)
    assert state.key == "500 x" and state.suppressed == 299
    # once the interval is over, the next alert of that kind goes and says what was held back
    database.db().execute("UPDATE admin_alerts SET last_sent_at = '2000-01-01T00:00:00+00:00'")
    later = admin_alerts.notify_admins(mailing, "server error", "boom", key="500 x",
                                       database=database)  # fmt: skip
    assert later.sent
    assert "299 more alert(s) of this kind" in str(inbox[0].messages[-1].get_payload())
    assert admin_alerts.states(database)[0].suppressed == 0


def test_many_kinds_of_errors_are_capped_per_hour(
    database: Database, mailing: Settings, inbox: tuple[Inbox, int]
) -> None:
    sent = [
        admin_alerts.notify_admins(mailing, f"error {n}", "x", database=database).sent
        for n in range(40)
    ]
    assert sum(sent) == admin_alerts.MAX_PER_WINDOW
    assert len(inbox[0].messages) == admin_alerts.MAX_PER_WINDOW * len(ADMINS)
    held = [state for state in admin_alerts.states(database) if state.suppressed]
    assert len(held) == 40 - admin_alerts.MAX_PER_WINDOW


def test_nothing_is_sent_without_smtp_or_admin_addresses(
    database: Database, settings: Settings, mailing: Settings
) -> None:
    assert admin_alerts.notify_admins(settings, "s", "b").reason == "not_configured"
    no_admins = mailing.with_values(smtp_admin_emails=())
    assert admin_alerts.notify_admins(no_admins, "s", "b").reason == "no_admin_addresses"
    assert database.db().execute("SELECT count(*) FROM mail_log").fetchone() == (0,)
