"""`docs/command-line.md`, generated from the command's own parser (a test keeps the file in step).

Regenerate with: `python -m vidjil_local.cli.docs > docs/command-line.md`
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from vidjil_local.cli import build_parser

HEADER = """# Command line

Every command and option of `vidjil-local`, generated from its parser
(`python -m vidjil_local.cli.docs > docs/command-line.md`; a test fails when this file is stale).
`vidjil-local COMMAND --help` prints the same. What the commands are for, step by step: the
[admin guide](admin-guide.md) (serve, settings, users, backups, export and import, worker machines,
e-mail) and [analysis.md](analysis.md) (`analyze`).

Exit status: 0 success; 1 a data or I/O problem, printed as one line starting `vidjil-local:`
(`--debug` adds the traceback); 2 a usage problem (a wrong option or value).
"""

# argparse's own "-h, --help" is on every parser: said once in the header instead
_HELP = "-h"


def _options(parser: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    for action in parser._actions:  # argparse has no public list of a parser's arguments
        if isinstance(action, argparse._SubParsersAction) or _HELP in action.option_strings:
            continue
        yield action


def _usage_name(action: argparse.Action) -> str:
    if not action.option_strings:
        name = action.metavar or action.dest
        return f"`{str(name).upper()}`" + (" ..." if action.nargs in ("+", "*") else "")
    takes_value = action.nargs != 0
    metavar = action.metavar or action.dest.upper()
    names = ", ".join(
        f"`{option} {metavar}`" if takes_value else f"`{option}`"
        for option in action.option_strings
    )
    return names


def _describe(action: argparse.Action) -> str:
    text = (action.help or "").replace("|", "\\|").replace("\n", " ")
    notes = []
    if action.required and action.option_strings:
        notes.append("Required.")
    if action.choices is not None and not isinstance(action.choices, dict):
        notes.append("One of " + ", ".join(f"`{choice}`" for choice in action.choices) + ".")
    if isinstance(action, argparse._AppendAction) and "repeatable" not in text:
        notes.append("Repeatable.")
    if text and notes:
        text += "."
    return " ".join([text, *notes]).strip()


def _table(parser: argparse.ArgumentParser) -> list[str]:
    rows = [f"| {_usage_name(action)} | {_describe(action)} |" for action in _options(parser)]
    if not rows:
        return []
    return ["| argument | what it does |", "|---|---|", *rows, ""]


def _subcommands(
    parser: argparse.ArgumentParser,
) -> list[tuple[str, str, argparse.ArgumentParser]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                found.append((name, helps.get(name, ""), sub))
    return found


def _section(words: list[str], summary: str, parser: argparse.ArgumentParser) -> list[str]:
    subcommands = _subcommands(parser)
    lines = [f"{'#' * min(len(words) + 1, 4)} `vidjil-local {' '.join(words)}`", ""]
    if summary:
        lines += [summary[0].upper() + summary[1:] + ".", ""]
    if parser.description:
        lines += [parser.description, ""]
    lines += _table(parser)
    for name, help_, sub in subcommands:
        lines += _section([*words, name], help_, sub)
    return lines


def cli_markdown() -> str:
    parser = build_parser()
    lines = [HEADER, "## `vidjil-local` (no command: the desktop launch)", ""]
    lines += [str(parser.description), ""]
    lines += [
        "Options written before the command (`vidjil-local --data-dir D serve`, not after it):",
        "",
    ]
    lines += _table(parser)
    for name, help_, sub in _subcommands(parser):
        lines += _section([name], help_, sub)
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":
    print(cli_markdown(), end="")
