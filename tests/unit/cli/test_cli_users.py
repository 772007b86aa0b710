"""`vidjil-local users unlock EMAIL`: on the machine, an administrator always gets back in."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from vidjil_local.cli import EXIT_ERROR, EXIT_OK, main
from vidjil_local.db import Database, migrate
from vidjil_local.errors import VidjilError
from vidjil_local.services.accounts import logins
from vidjil_local.settings import resolve_settings

ADMIN = ("admin@lab.example", "correct horse battery")


def lab_with_a_shut_out_admin(data_dir: Path) -> Database:
    """The only admin, locked by an administrator's hand and slowed down by wrong passwords
    from this computer's address."""
    settings = resolve_settings(data_dir, environ={}, overrides={"max_wrong_passwords": 2})
    database = Database(settings.database_path)
    migrate(database.db())
    logins.create_first_admin(database, *ADMIN)
    for _ in range(30):
        with contextlib.suppress(VidjilError):
            logins.authenticate(database, settings, ADMIN[0], "wrong-guess", "127.0.0.1")
    database.db().execute("UPDATE users SET locked_at = '2026-01-01T00:00:00.000+00:00'")
    return database


def test_unlock_lets_the_admin_log_in_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = lab_with_a_shut_out_admin(tmp_path)
    settings = resolve_settings(tmp_path, environ={})
    with pytest.raises(VidjilError):
        logins.authenticate(database, settings, *ADMIN, "127.0.0.1")
    assert main(["--data-dir", str(tmp_path), "users", "unlock", ADMIN[0]]) == EXIT_OK
    assert ADMIN[0] in capsys.readouterr().out
    assert logins.authenticate(database, settings, *ADMIN, "127.0.0.1").email == ADMIN[0]
    rows = database.db().execute("SELECT action, user_email FROM audit_log").fetchall()
    assert ("unlock_user", "command line") in [tuple(row) for row in rows]


def test_unlock_of_an_unknown_account_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lab_with_a_shut_out_admin(tmp_path)
    assert main(["--data-dir", str(tmp_path), "users", "unlock", "nobody@lab.example"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "nobody@lab.example" in error
    assert EXIT_ERROR == 1
