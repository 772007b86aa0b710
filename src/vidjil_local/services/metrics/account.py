"""The metrics group and the metrics account (Vidjil's METRICS_USER_*), made at each start.

The group "metrics" has no right on any set: its members may read the metrics and nothing else.
When `metrics_user_email` and `metrics_user_password` are set, that account exists and is in
the group. An account made here has no personal group (it cannot create sets) and takes the
password of the settings at each start, so changing the setting changes it. An existing lab
account named by the setting is only added to the group: its password and rights stay its own.
"""

from __future__ import annotations

import logging

import sqlite_utils

from vidjil_local.db import Database
from vidjil_local.db.clock import now
from vidjil_local.errors import VidjilError
from vidjil_local.services import audit
from vidjil_local.services.accounts import members
from vidjil_local.services.accounts.passwords import (
    check_password_strength,
    hash_password,
    verify_password,
)
from vidjil_local.settings import Settings

log = logging.getLogger(__name__)
METRICS_GROUP = "metrics"
FROM_SETTINGS = audit.Actor(None, "settings (metrics_user_email)")


def metrics_group_id(db: sqlite_utils.Database) -> int | None:
    row = db.execute("SELECT id FROM groups WHERE name = ?", [METRICS_GROUP]).fetchone()
    return int(row[0]) if row else None


def ensure_metrics_account(database: Database, settings: Settings) -> str:
    """Make the group, and the account when the settings name one; returns what was done."""
    try:
        with database.write() as db:
            group_id = metrics_group_id(db) or members.create_group(
                db, METRICS_GROUP, "may read the server's metrics, nothing else"
            )
            if not (settings.metrics_user_email and settings.metrics_user_password):
                return "group"
            return _ensure_user(db, settings, group_id)
    except VidjilError as error:  # e.g. a password too weak: the app starts, without the account
        log.error("the metrics account %s was not made: %s", settings.metrics_user_email,
                  error.message)  # fmt: skip
        return "refused"


def _ensure_user(db: sqlite_utils.Database, settings: Settings, group_id: int) -> str:
    email, password = settings.metrics_user_email.strip(), settings.metrics_user_password
    row = db.execute("SELECT id, password_hash FROM users WHERE email = ?", [email]).fetchone()
    if row is None:
        user_id = members.create_user(db, email, password, "metrics", "")
        personal = f"user_{user_id}"
        db.execute("DELETE FROM groups WHERE name = ?", [personal])  # no right of its own
        members.add_member(db, user_id, group_id)
        audit.record(db, FROM_SETTINGS, "create_metrics_user", "users", user_id)
        log.info("metrics account %s created", email)
        return "created"
    user_id, password_hash = int(row[0]), str(row[1])
    members.add_member(db, user_id, group_id)
    if _only_in_metrics(db, user_id, group_id) and not verify_password(password_hash, password):
        check_password_strength(password, email)
        db.execute(
            "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?",
            [hash_password(password), now(), user_id],
        )
        audit.record(db, FROM_SETTINGS, "set_metrics_password", "users", user_id)
        return "password updated"
    return "kept"


def _only_in_metrics(db: sqlite_utils.Database, user_id: int, group_id: int) -> bool:
    groups = db.execute("SELECT group_id FROM memberships WHERE user_id = ?", [user_id]).fetchall()
    return [int(row[0]) for row in groups] == [group_id]


def may_read_metrics(database: Database, user_id: int, is_admin: bool) -> bool:
    """Administrators and members of the metrics group read the metrics; nobody else."""
    if is_admin:
        return True
    row = (
        database.db()
        .execute(
            "SELECT 1 FROM memberships m JOIN groups g ON g.id = m.group_id "
            "WHERE m.user_id = ? AND g.name = ?",
            [user_id, METRICS_GROUP],
        )
        .fetchone()
    )
    return row is not None
