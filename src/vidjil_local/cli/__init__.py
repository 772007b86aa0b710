"""The `vidjil-local` command: `main(argv) -> int` decides every exit code in one place.

0 success; 1 a data or I/O problem, printed as one clear line (`--debug` for the traceback);
2 a usage problem. With no sub-command it is the desktop launch.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import sys
import traceback
from collections.abc import Sequence

from vidjil_local import __version__
from vidjil_local.cli import commands
from vidjil_local.errors import VidjilError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="vidjil-local",
        description="Vidjil immune-repertoire analysis on this computer. Without a command, "
        "start the app and open it in the browser.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument(
        "--data-dir",
        help="folder of the database, uploads, results and settings (default: VIDJIL_DATA_DIR, "
        "else this user's data folder)",
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a setting for this run (repeatable; see `settings show`)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    subparsers = parser.add_subparsers(dest="command", parser_class=_Parser)
    for register in commands.REGISTERED:
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.version:
        print(commands.version_line())
        return EXIT_OK
    commands.configure_logging(args.debug)
    try:
        return int(args.handler(args) if args.command else commands.run_launch(args))
    except VidjilError as error:
        if args.debug:
            traceback.print_exc()
        print(f"vidjil-local: {error.message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except OSError as error:
        if args.debug:
            traceback.print_exc()
        print(f"vidjil-local: {error}", file=sys.stderr)
        return EXIT_ERROR


def main_cli() -> None:
    # First thing: in a frozen build, a spawned child re-enters here and must be diverted.
    multiprocessing.freeze_support()
    logging.captureWarnings(True)
    sys.exit(main())


__all__ = ["EXIT_ERROR", "EXIT_OK", "EXIT_USAGE", "__version__", "build_parser", "main", "main_cli"]
