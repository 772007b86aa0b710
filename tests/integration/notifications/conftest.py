"""Settings that send e-mail to a real SMTP listener on loopback (aiosmtpd), and one that asks
for a login the listener checks."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import Inbox
from vidjil_local.settings import Settings

SMTP_USER = "mailer"
SMTP_PASSWORD = "s3cret-Smtp-pw"
ADMINS = ("it@hospital.example", "head@lab.example")


def mail_settings(settings: Settings, port: int, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "smtp_server": f"127.0.0.1:{port}",
        "smtp_from_email": "vidjil@lab.example",
        "smtp_tls": False,
        "smtp_admin_emails": ADMINS,
        "smtp_email_subject_start": "[Vidjil-lab]",
        **extra,
    }
    return settings.with_values(**values)


@pytest.fixture
def mailing(settings: Settings, inbox: tuple[Inbox, int]) -> Settings:
    return mail_settings(settings, inbox[1])


def closed_port() -> int:
    """A loopback port nothing listens on (the SMTP server is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Authenticator:
    """aiosmtpd's login check: only SMTP_USER with SMTP_PASSWORD gets in."""

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth: Any) -> Any:
        from aiosmtpd.smtp import AuthResult

        ok = auth.login == SMTP_USER.encode() and auth.password == SMTP_PASSWORD.encode()
        return AuthResult(success=ok)


@pytest.fixture
def login_inbox() -> Iterator[tuple[Inbox, int]]:
    """An SMTP listener that requires a login (plain text over loopback, as in a lab LAN)."""
    from aiosmtpd.controller import Controller

    port = closed_port()
    handler = Inbox()
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, authenticator=Authenticator(),
        auth_require_tls=False,
    )  # fmt: skip
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()
