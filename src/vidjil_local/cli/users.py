"""`vidjil-local users unlock EMAIL`: on the computer that runs the app, an administrator always
gets back in: the account is unlocked, its wrong passwords and those of every address forgotten.

It needs only the data folder, so it works while the app runs (SQLite) or is stopped, and when
nobody can log in at all.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from vidjil_local.db import Database, pending_names
from vidjil_local.errors import DatabaseError
from vidjil_local.services.accounts import users
from vidjil_local.settings import Settings

Subparsers = Any  # argparse's _SubParsersAction is private


def _unlock(args: argparse.Namespace, settings: Settings) -> int:
    database = Database(settings.database_path)
    try:
        if pending_names(database.db()):
            raise DatabaseError(
                "this database needs the migrations of this version first: start the app once, "
                "or run `vidjil-local migrate`"
            )
        user = users.unlock_on_this_computer(database, args.email)
    finally:
        database.close()
    print(f"{user.email} can log in again (unlocked, wrong passwords forgotten)")
    return 0


def register_users(
    subparsers: Subparsers, settings_of: Callable[[argparse.Namespace], Settings]
) -> None:
    """`users` and its actions; `settings_of` resolves the settings of the command line."""
    parser = subparsers.add_parser("users", help="manage accounts from this computer")
    actions = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
    unlock = actions.add_parser(
        "unlock",
        help="let an account log in again: unlock it and forget the wrong passwords "
        "(of the account and of every address)",
    )
    unlock.add_argument("email", help="the e-mail the account logs in with")
    unlock.set_defaults(handler=lambda args: _unlock(args, settings_of(args)))
