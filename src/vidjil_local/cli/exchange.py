"""`vidjil-local export` (a group's or chosen sets to one archive) and `vidjil-local import` (such
an archive into this install), the Vidjil migrator's two halves."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vidjil_local.db import Database, migrate
from vidjil_local.errors import UsageError
from vidjil_local.services import audit
from vidjil_local.services.exchange import export, importing, vidjil_export, vidjil_import
from vidjil_local.settings import Settings

SettingsFrom = Callable[[argparse.Namespace], Settings]
COMMAND_LINE = audit.Actor(None, "command line")


def _open(args: argparse.Namespace) -> tuple[Settings, Database]:
    settings: Settings = args.settings_from(args)
    database = Database(settings.database_path)
    migrate(database.db())
    return settings, database


def _export(args: argparse.Namespace) -> int:
    if (args.group is None) == (not args.set_ids):
        raise UsageError("give either --group or one or more --set")
    settings, database = _open(args)
    try:
        scope = export.Scope(group=args.group, set_ids=tuple(args.set_ids))
        done = export.export_archive(
            database,
            settings,
            COMMAND_LINE,
            scope=scope,
            destination=Path(args.output),
            with_sequences=args.sequences,
        )
    finally:
        database.close()
    print(
        f"exported {done.sets} sets, {done.samples} samples and {done.results} results "
        f"({done.files} files, {done.size} bytes) to {done.path}"
    )
    print(f"fingerprint (SHA-256 of its manifest): {done.fingerprint}")
    return 0


def _config_map(items: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in items:
        old, separator, new = item.partition("=")
        if not separator or not old.strip() or not new.strip():
            raise UsageError(f"--config expects ARCHIVED=LOCAL (ids or names), got {item!r}")
        mapping[old.strip()] = new.strip()
    return mapping


def _import(args: argparse.Namespace) -> int:
    settings, database = _open(args)
    try:
        plan = importing.plan_import(
            database,
            Path(args.archive),
            group=args.group,
            config_map=_config_map(args.configs),
            expected_fingerprint=args.fingerprint,
        )
        _print_plan(plan)
        if args.check:
            return 1 if plan.unmapped else 0
        done = importing.import_archive(database, settings, COMMAND_LINE, plan)
    finally:
        database.close()
    print(
        f"imported {len(done.set_ids)} sets, {done.samples} samples, {done.results} results "
        f"and {done.analyses} analyses ({done.files} files) for group {plan.group_name}"
    )
    print("sets: " + ", ".join(f"{old} -> {new}" for old, new in done.set_ids.items()))
    return 0


def _print_plan(plan: importing.Plan) -> None:
    manifest = plan.archive.manifest
    records = plan.archive.records
    print(
        f"archive: {manifest.scope}, written {manifest.created_at} by vidjil-local "
        f"{manifest.app_version}; {len(records.sample_sets)} sets, {len(records.samples)} "
        f"samples, {len(records.results)} results, sequences "
        f"{'included' if manifest.with_sequences else 'not included'}"
    )
    print(f"fingerprint: {plan.archive.fingerprint}")
    for link in plan.configs:
        config = link.archived
        here = f"config {link.local_id} {link.local_name!r}" if link.local_id else "NOT MAPPED"
        print(
            f"  config {config.id} {config.name!r} ({config.program}, {config.germline}) -> {here}"
        )
    print(f"users matched by e-mail: {plan.users_matched} of {len(records.users)}")


def _import_vidjil(args: argparse.Namespace) -> int:
    settings, database = _open(args)
    try:
        plan = vidjil_export.plan_vidjil_import(
            database.db(), Path(args.folder), group=args.group, config_map=_config_map(args.configs)
        )
        tables = plan.export.tables
        print(
            f"Vidjil export: {len(tables.patient)} patients, {len(tables.run)} runs, "
            f"{len(tables.generic)} sets, {len(tables.sequence_file)} sequence files, "
            f"{len(tables.results_file)} results, {len(tables.analysis_file)} analyses"
        )
        for old, new in plan.configs.items():
            print(
                f"  Vidjil config {old} {plan.export.config_names.get(old, '')!r} -> config {new}"
            )
        for old, name in plan.unmapped.items():
            print(f"  Vidjil config {old} {name!r} -> NOT MAPPED")
        if args.check:
            return 1 if plan.unmapped else 0
        done = vidjil_import.import_vidjil_export(database, settings, COMMAND_LINE, plan)
    finally:
        database.close()
    print(
        f"imported {len(done.set_ids)} sets, {done.samples} samples, {done.results} results "
        f"and {done.analyses} analyses for group {plan.group_name}; {len(done.fuses)} fuses "
        "queued (done by the app now if it runs, else at its next start)"
    )
    for skipped in done.skipped:
        print(f"  not imported: {skipped}")
    return 0


def register(subparsers: Any, settings_from: SettingsFrom) -> None:
    out = subparsers.add_parser("export", help="export a group's or chosen sets to an archive")
    out.add_argument("output", help="the archive to write (a .zip; never overwritten)")
    out.add_argument("--group", help="every set this group may read (id or name)")
    out.add_argument(
        "--set",
        dest="set_ids",
        type=int,
        action="append",
        default=[],
        metavar="ID",
        help="a set (patient, run or set) to export; repeatable",
    )
    out.add_argument(
        "--sequences",
        action="store_true",
        help="include the sequence files (off by default: they are large)",
    )
    out.set_defaults(handler=_export, settings_from=settings_from)
    into = subparsers.add_parser("import", help="import an archive made by `export`")
    into.add_argument("archive", help="the archive to import")
    into.add_argument("--group", required=True, help="the group here that gets the sets")
    into.add_argument(
        "--config",
        dest="configs",
        action="append",
        default=[],
        metavar="ARCHIVED=LOCAL",
        help="map an archived config to a config here (ids or names); configs "
        "of the same name, program and germline map by themselves",
    )
    into.add_argument("--fingerprint", help="refuse the archive unless its fingerprint is this")
    into.add_argument(
        "--check",
        action="store_true",
        help="check the archive and show the config mapping; import nothing",
    )
    into.set_defaults(handler=_import, settings_from=settings_from)
    vidjil = subparsers.add_parser(
        "import-vidjil", help="import the export folder of a classic Vidjil server's migrator"
    )
    vidjil.add_argument("folder", help="the folder holding export.json, config.json and files/")
    vidjil.add_argument("--group", required=True, help="the group here that gets the sets")
    vidjil.add_argument(
        "--config",
        dest="configs",
        action="append",
        default=[],
        metavar="VIDJIL=LOCAL",
        help="map a Vidjil config (id or name) to a config here (id or name); "
        "configs of the same name map by themselves",
    )
    vidjil.add_argument(
        "--check",
        action="store_true",
        help="check the folder and show the config mapping; import nothing",
    )
    vidjil.set_defaults(handler=_import_vidjil, settings_from=settings_from)
