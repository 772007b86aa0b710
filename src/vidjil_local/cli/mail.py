"""`vidjil-local mail test ADDRESS` (send a test e-mail with the settings of the data folder) and
`vidjil-local mail log` (the last e-mails the app sent, and their errors)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from vidjil_local.db import Database, migrate
from vidjil_local.errors import VidjilError
from vidjil_local.services import audit, mail
from vidjil_local.services.notifications import overview
from vidjil_local.settings import Settings

SettingsFrom = Callable[[argparse.Namespace], Settings]

COMMAND_LINE = audit.Actor(None, "command line")


class MailNotSent(VidjilError):
    code = "mail"


def _open(args: argparse.Namespace) -> tuple[Settings, Database]:
    settings: Settings = args.settings_from(args)
    database = Database(settings.database_path)
    migrate(database.db())
    return settings, database


def _test(args: argparse.Namespace) -> int:
    settings, database = _open(args)
    try:
        sent = overview.send_test(database, settings, COMMAND_LINE, args.address)
    finally:
        database.close()
    if sent.status != "sent":
        raise MailNotSent(sent.error or "the test e-mail was not sent")
    print(f"test e-mail sent to {sent.recipient} through {settings.smtp_server}")
    return 0


def _log(args: argparse.Namespace) -> int:
    _, database = _open(args)
    try:
        rows = mail.recent(database, limit=args.limit, failed_only=args.errors)
    finally:
        database.close()
    for row in rows:
        error = f"  ({row.error})" if row.error else ""
        print(f"{row.created_at}  {row.status:<6}  {row.kind:<11}  {row.recipient}  "
              f"{row.subject}{error}")  # fmt: skip
    if not rows:
        print("no e-mail in the log")
    return 0


def register(subparsers: Any, settings_from: SettingsFrom) -> None:
    parser = subparsers.add_parser("mail", help="send a test e-mail, or list the e-mails sent")
    parser.set_defaults(settings_from=settings_from)
    actions = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
    test = actions.add_parser("test", help="send a test e-mail with the SMTP settings")
    test.add_argument("address", help="who receives the test e-mail")
    test.set_defaults(handler=_test)
    log = actions.add_parser("log", help="the last e-mails the app sent, newest first")
    log.add_argument("--errors", action="store_true", help="only those with an error")
    log.add_argument("--limit", type=int, default=20, help="how many (default 20)")
    log.set_defaults(handler=_log)
