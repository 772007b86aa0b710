"""The sub-commands of `vidjil-local` other than `analyze` (in `cli/analyze.py`)."""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vidjil_local import __version__
from vidjil_local.core import is_compiled
from vidjil_local.db import Database, pending_names, schema_version, upgrade_database
from vidjil_local.errors import UsageError
from vidjil_local.settings import (
    SETTINGS,
    Settings,
    display_value,
    lookup,
    resolve_settings,
    write_setting,
)
from vidjil_local.settings.resolve import resolve_data_dir

Subparsers = Any  # argparse's _SubParsersAction is private


def version_line() -> str:
    core = "compiled" if is_compiled() else "interpreted"
    return f"vidjil-local {__version__} (core: {core})"


def configure_logging(debug: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("dramatiq", "uvicorn.access", "httpx"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if debug else logging.WARNING)


def settings_from(args: argparse.Namespace, **flags: object) -> Settings:
    overrides: dict[str, object] = {}
    for item in args.overrides:
        name, separator, value = item.partition("=")
        if not separator:
            raise UsageError(f"--set expects NAME=VALUE, got {item!r}")
        overrides[name.strip()] = value
    overrides.update({name: value for name, value in flags.items() if value is not None})
    return resolve_settings(args.data_dir, overrides=overrides)


# -- desktop launch and serve ------------------------------------------------------------------
def run_launch(args: argparse.Namespace) -> int:
    from vidjil_local.launcher import launch

    return launch(settings_from(args))


def _serve(args: argparse.Namespace) -> int:
    from vidjil_local.launcher import serve

    return serve(settings_from(args, host=args.host, port=args.port, open_browser=False))


def register_serve(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "serve", help="run the server and its workers without opening a browser"
    )
    parser.add_argument("--host", help="address to listen on (default: the host setting)")
    parser.add_argument("--port", type=int, help="port to listen on (0: a free port)")
    parser.set_defaults(handler=_serve)


# -- migrate -----------------------------------------------------------------------------------
def _migrate(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    database = Database(settings.database_path)
    try:
        if args.check:
            pending = pending_names(database.db())
            print(
                f"schema version {schema_version(database.db())}; pending: "
                f"{', '.join(pending) or 'none'}"
            )
            return 1 if pending else 0
        upgrade = upgrade_database(database, settings.data_dir / "backups")
        version = schema_version(database.db())
        if upgrade.copy is not None:
            print(f"copied the database to {upgrade.copy} first (kept until the next start)")
            _keep_upgrade_copy(settings, database, upgrade.copy)
        print(
            f"applied {', '.join(upgrade.applied)}"
            if upgrade.applied
            else "database already up to date"
        )
        print(f"schema version {version} ({settings.database_path})")
    finally:
        database.close()
    return 0


def _keep_upgrade_copy(settings: Settings, database: Database, copy: Path) -> None:
    """With a backup folder, the copy also becomes a backup there (kept by its rules)."""
    if settings.backup_dir is None:
        return
    from vidjil_local.services.backups import Trigger
    from vidjil_local.services.backups.take import take_backup

    run = take_backup(settings, database, trigger=Trigger.BEFORE_UPGRADE, database_copy=copy)
    print(f"and backed it up as {run.snapshot} in {run.destination}")


def register_migrate(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("migrate", help="apply pending database migrations")
    parser.add_argument(
        "--check", action="store_true", help="only list pending migrations (exit 1 if any)"
    )
    parser.set_defaults(handler=_migrate)


# -- settings ----------------------------------------------------------------------------------
def _settings_show(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    names = args.names or [setting.name for setting in SETTINGS]
    print(f"data_dir = {settings.data_dir}")
    for name in names:
        setting = lookup(name)
        print(f"{setting.name} = {display_value(settings, setting)}")
        if args.verbose:
            print(f"    {setting.help}")
    return 0


def _settings_set(args: argparse.Namespace) -> int:
    # the data folder only: a value the settings file holds that is no longer valid (a port out
    # of range...) stops the app at start, and this is how it gets repaired
    data_dir = resolve_data_dir(args.data_dir, os.environ)
    value = write_setting(data_dir, args.name, args.value)
    setting = lookup(args.name)
    note = " (takes effect at the next start)" if setting.restart else ""
    shown = ("***" if value else "") if setting.secret else _as_written(value)  # cleared: empty
    print(f"{setting.name} = {shown}{note}")
    return 0


def _as_written(value: object) -> str:
    """A stored value as `settings show` prints it and as it is typed (`false`, `a,b`)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    return str(value)


def register_settings(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("settings", help="show or change settings")
    actions = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
    show = actions.add_parser("show", help="print the resolved settings")
    show.add_argument("names", nargs="*", help="only these settings")
    show.add_argument("-v", "--verbose", action="store_true", help="with help text")
    show.set_defaults(handler=_settings_show)
    change = actions.add_parser("set", help="store a setting in settings.toml of the data dir")
    change.add_argument("name", help="the setting's name (see `settings show`)")
    change.add_argument(
        "value",
        help="its value: true or false, a number, a comma-separated list, or text; "
        "a secret goes to the secret store, never to settings.toml",
    )
    change.set_defaults(handler=_settings_set)


def register_analyze(subparsers: Subparsers) -> None:
    from vidjil_local.cli import analyze

    analyze.add_parser(subparsers)


def register_backups(subparsers: Subparsers) -> None:
    from vidjil_local.cli import backups

    backups.register_backup(subparsers, settings_from)
    backups.register_restore(subparsers, settings_from)


def register_mail(subparsers: Subparsers) -> None:
    from vidjil_local.cli import mail

    mail.register(subparsers, settings_from)


def register_exchange(subparsers: Subparsers) -> None:
    from vidjil_local.cli import exchange

    exchange.register(subparsers, settings_from)


# -- worker ------------------------------------------------------------------------------------
def _worker(args: argparse.Namespace) -> int:
    import os
    from pathlib import Path

    from vidjil_local.jobs import worker_client
    from vidjil_local.jobs.worker_machine import WorkerMachine
    from vidjil_local.settings.resolve import default_data_dir

    token = args.token or os.environ.get("VIDJIL_WORKER_TOKEN", "")
    if not token:
        raise UsageError("give the worker's token: --token TOKEN or VIDJIL_WORKER_TOKEN")
    data_dir = Path(args.data_dir).expanduser() if args.data_dir else default_data_dir() / "worker"
    cores = args.cores or max(1, (os.cpu_count() or 2) - 1)
    verify = worker_client.trust(
        args.server, data_dir, fingerprint=args.fingerprint or "",
        ca_file=Path(args.ca_file) if args.ca_file else None,
    )  # fmt: skip
    client = worker_client.ServerClient(args.server, token, verify, cores, args.source_address)
    try:
        return WorkerMachine(client, data_dir, cores, args.jobs or cores, args.niceness).run()
    finally:
        client.close()


def register_worker(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "worker", help="run analyses for a vidjil-local server from this machine"
    )
    parser.add_argument("--server", required=True, help="the server's address, https://...")
    parser.add_argument(
        "--token",
        help="the worker token an administrator made (default: the VIDJIL_WORKER_TOKEN "
        "environment variable)",
    )
    parser.add_argument(
        "--fingerprint", help="SHA-256 fingerprint of the server's certificate (status page)"
    )
    parser.add_argument("--ca-file", help="certificate authority file to check the server with")
    parser.add_argument("--cores", type=int, help="cores to use (default: CPUs minus one)")
    parser.add_argument("--jobs", type=int, help="jobs at once (default: as many as cores)")
    parser.add_argument(
        "--source-address", default="", help="local address to call the server from"
    )
    parser.add_argument(
        "--niceness",
        type=int,
        choices=range(20),
        default=10,
        metavar="0-19",
        help="how readily the jobs leave the processor to this machine's other programs "
        "(as the server's job_niceness setting; default: 10, 0: normal priority)",
    )
    parser.set_defaults(handler=_worker)


def register_users(subparsers: Subparsers) -> None:
    from vidjil_local.cli import users

    users.register_users(subparsers, settings_from)


REGISTERED: list[Callable[[Subparsers], None]] = [
    register_serve,
    register_migrate,
    register_settings,
    register_analyze,
    register_backups,
    register_mail,
    register_exchange,
    register_worker,
    register_users,
]
