"""`vidjil-local mail test ADDRESS` and `mail log` on a data folder, with a real SMTP listener."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Inbox
from tests.integration.notifications.conftest import closed_port
from vidjil_local.cli import main


def options(data_dir: Path, port: int) -> list[str]:
    values = {
        "smtp_server": f"127.0.0.1:{port}",
        "smtp_from_email": "vidjil@lab.example",
        "smtp_tls": "false",
        "smtp_email_subject_start": "[Lab]",
    }
    return ["--data-dir", str(data_dir), *(f"--set={k}={v}" for k, v in values.items())]


def test_mail_test_sends_and_the_log_lists_it(
    tmp_path: Path, inbox: tuple[Inbox, int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*options(tmp_path, inbox[1]), "mail", "test", "it@hospital.example"]) == 0
    assert inbox[0].messages[-1]["Subject"] == "[Lab] test e-mail"
    assert "test e-mail sent to it@hospital.example" in capsys.readouterr().out
    assert main([*options(tmp_path, inbox[1]), "mail", "log"]) == 0
    listed = capsys.readouterr().out
    assert "sent" in listed and "it@hospital.example" in listed


def test_mail_test_fails_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*options(tmp_path, closed_port()), "mail", "test", "it@hospital.example"]) == 1
    assert "could not be sent" in capsys.readouterr().err
    assert main([*options(tmp_path, closed_port()), "mail", "log", "--errors"]) == 0
    assert "failed" in capsys.readouterr().out
    assert main(["--data-dir", str(tmp_path), "mail", "test", "not-an-address"]) == 2
