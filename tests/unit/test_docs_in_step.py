"""The docs name only commands, options and settings that exist, explain every setting and config
option, show every screenshot the browser tests make (and only those), and the generated references
(docs/command-line.md, docs/settings.md) are those the code makes today."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from vidjil_local.cli import build_parser
from vidjil_local.cli.docs import cli_markdown
from vidjil_local.services.analyses.configs import OPTION_CHOICES, OPTION_TYPES, SPIKES_OPTION
from vidjil_local.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
GUIDES = [ROOT / "README.md", ROOT / "docs" / "admin-guide.md", ROOT / "docs" / "user-guide.md"]
SETTING_NAMES = {setting.name for setting in SETTINGS}
# Environment variables read outside the settings table, and a constant of results/vidjil.py
OTHER_VARIABLES = {
    "VIDJIL_DATA_DIR",
    "VIDJIL_WORKER_TOKEN",
    "VIDJIL_COMPILE",
    "VIDJIL_EXPECT_CORE",
    "VIDJIL_JSON_VERSION",
}
# `vidjil-local ...` as written in the docs: in `code` or on a line of a code block
COMMAND_LINE = re.compile(r"vidjil-local((?: +[^`\n#|]+)?)")


Command = tuple[str, ...]


def _commands(parser: argparse.ArgumentParser, words: Command = ()) -> dict[Command, set[str]]:
    """Every command (as its words) with its option strings (those of `vidjil-local` itself go
    before any command: `vidjil-local serve --data-dir D` is refused)."""
    options = {option for action in parser._actions for option in action.option_strings}
    found = {words: options}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.update(_commands(sub, (*words, name)))
    return found


COMMANDS = _commands(build_parser())


def _has_subcommands(command: Command) -> bool:
    return any(len(key) > len(command) and key[: len(command)] == command for key in COMMANDS)


def _documented_command_lines() -> list[tuple[str, str]]:
    lines = []
    for path in DOCS:
        for match in COMMAND_LINE.finditer(path.read_text(encoding="utf-8")):
            lines.append((path.name, match.group(1).strip()))
    return lines


def _misplaced_options(words: list[str]) -> list[str]:
    """The options that the command reached so far does not take, each where it is written."""
    command: Command = ()
    wrong = []
    for word in words:
        if word.startswith("-"):
            if word.split("=")[0] not in COMMANDS[command]:
                wrong.append(f"{word} (after vidjil-local {' '.join(command)})")
        elif (*command, word) in COMMANDS:
            command = (*command, word)
        elif command and _has_subcommands(command):
            wrong.append(f"unknown command {word} (after vidjil-local {' '.join(command)})")
    return wrong


def test_docs_command_line_md_is_in_step_with_the_parser() -> None:
    documented = (ROOT / "docs" / "command-line.md").read_text(encoding="utf-8")
    assert documented == cli_markdown(), (
        "docs/command-line.md is stale: python -m vidjil_local.cli.docs > docs/command-line.md"
    )


@pytest.mark.parametrize(("document", "line"), _documented_command_lines())
def test_every_documented_command_and_option_exists(document: str, line: str) -> None:
    words = line.replace("[", " ").replace("]", " ").replace("|", " ").split()
    assert not _misplaced_options(words), f"{document}: `vidjil-local {line}`"


def test_every_command_is_in_a_guide() -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in GUIDES)
    missing = [
        " ".join(words)
        for words in COMMANDS
        if words and f"vidjil-local {' '.join(words)}" not in text
    ]
    assert not missing, f"commands no guide shows: {missing}"


def test_every_setting_is_in_the_admin_guide() -> None:
    guide = (ROOT / "docs" / "admin-guide.md").read_text(encoding="utf-8")
    missing = sorted(name for name in SETTING_NAMES if f"`{name}" not in guide)
    assert not missing, f"settings the admin guide does not explain: {missing}"


def test_every_config_option_is_in_the_admin_guide() -> None:
    guide = (ROOT / "docs" / "admin-guide.md").read_text(encoding="utf-8")
    options = [*OPTION_TYPES, *OPTION_CHOICES, SPIKES_OPTION]
    missing = [name for name in options if f"`{name}`" not in guide]
    assert not missing, f"config options the admin guide does not explain: {missing}"


def test_the_docs_name_no_setting_that_does_not_exist() -> None:
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for variable in set(re.findall(r"\bVIDJIL_[A-Z0-9_]*[A-Z0-9]\b", text)) - OTHER_VARIABLES:
            assert variable.removeprefix("VIDJIL_").lower() in SETTING_NAMES, (path.name, variable)
        written = re.findall(r"--set ([a-z_0-9]+)=", text)
        written += re.findall(r"settings (?:set|show) ([a-z_0-9]+)", text)
        written += re.findall(r"`([a-z][a-z0-9_]*) = [^`]*`", text)
        for name in written:
            assert name in SETTING_NAMES, (path.name, name)


def test_every_screenshot_is_shown_and_every_image_shown_exists() -> None:
    shown = {
        (path.parent / link).resolve()
        for path in DOCS
        for link in re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", path.read_text(encoding="utf-8"))
    }
    missing = sorted(str(image) for image in shown if not image.is_file())
    assert not missing, f"images the docs show that do not exist: {missing}"
    unused = sorted(
        image.name
        for image in (ROOT / "docs" / "screenshots").glob("*.png")
        if image.resolve() not in shown
    )
    assert not unused, f"screenshots no doc shows (show them, or stop making them): {unused}"


def test_every_module_the_architecture_names_exists() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    files = [
        path.relative_to(ROOT).as_posix()
        for folder in ("src", "tests", "benchmarks", "installer", "scripts")
        for path in (ROOT / folder).rglob("*.py")
    ] + [path.name for path in ROOT.glob("*.py")]
    named = set(re.findall(r"`([\w/.]+\.py)(?:::\w+)?", text))
    missing = sorted(
        name for name in named if not any(f == name or f.endswith("/" + name) for f in files)
    )
    assert not missing, f"docs/architecture.md names modules that do not exist: {missing}"


def test_every_secret_setting_is_named_where_the_admin_guide_lists_the_secrets() -> None:
    guide = (ROOT / "docs" / "admin-guide.md").read_text(encoding="utf-8")
    section = guide.split("### Secrets", 1)[1].split("\n#", 1)[0]
    missing = [s.name for s in SETTINGS if s.secret and f"`{s.name}`" not in section]
    assert not missing, f"secret settings the admin guide's Secrets section omits: {missing}"
