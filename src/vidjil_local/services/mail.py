"""Sending e-mail through the configured SMTP server (Vidjil's SMTP_* settings)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from vidjil_local.errors import VidjilError
from vidjil_local.settings import Settings

TIMEOUT_SECONDS = 20


class MailError(VidjilError):
    """The SMTP server is not configured, cannot be reached, or refused the message."""

    code = "mail"
    http_status = 503


def configured(settings: Settings) -> bool:
    return bool(settings.smtp_server and settings.smtp_from_email)


def _address(settings: Settings) -> tuple[str, int]:
    host, _, port = settings.smtp_server.rpartition(":")
    if not host or not port.isdigit():
        return settings.smtp_server, 465 if settings.smtp_ssl else 25
    return host, int(port)


def send(settings: Settings, to: str, subject: str, body: str) -> None:
    if not configured(settings):
        raise MailError("e-mail is not configured: set smtp_server and smtp_from_email")
    message = EmailMessage()
    message["From"] = settings.smtp_from_email
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    host, port = _address(settings)
    try:
        _deliver(settings, host, port, message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"the e-mail to {to} could not be sent: {error}") from None


def _deliver(settings: Settings, host: str, port: int, message: EmailMessage) -> None:
    context = ssl.create_default_context()
    if settings.smtp_ssl:
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, timeout=TIMEOUT_SECONDS, context=context
        )
    else:
        client = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
    with client:
        client.ehlo(settings.smtp_domain)
        if settings.smtp_tls and not settings.smtp_ssl:
            client.starttls(context=context)
            client.ehlo(settings.smtp_domain)
        if settings.smtp_credentials:
            user, _, password = settings.smtp_credentials.partition(":")
            client.login(user, password)
        client.send_message(message)
