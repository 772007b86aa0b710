"""`docs/settings.md`, generated from the settings table (a test keeps the file in step).

Regenerate with: `python -m vidjil_local.settings.docs > docs/settings.md`
"""

from __future__ import annotations

from vidjil_local.settings.table import SETTINGS, Setting

HEADER = """# Settings

Every setting of vidjil-local, generated from `src/vidjil_local/settings/table.py`
(`python -m vidjil_local.settings.docs > docs/settings.md`; a test fails when this file is stale).

A setting is resolved, from lowest to highest priority, from: its default; `settings.toml` in the
data directory (`vidjil-local settings set NAME VALUE` writes it); the environment variable
`VIDJIL_<NAME>`; the command line (`vidjil-local --set NAME=VALUE ...`, and `serve --host/--port`).
The data directory itself is chosen by `--data-dir`, else `VIDJIL_DATA_DIR`, else the platform's
user data folder (`~/.local/share/vidjil-local` on Linux).

Values are written the same way everywhere: `true`/`false` (also `yes`/`no`, `on`/`off`, `1`/`0`),
a number, or text; a list is comma-separated (`VIDJIL_ALLOWED_HOSTS=a.example,b.example`). The
Settings page of the administration shows and changes them all, with this help (except one set by a
`VIDJIL_*` variable: the environment would win over the change); a change applies at once unless
the row says "Takes effect at the next start". The [admin guide](admin-guide.md) says which to set
for each task.
"""

# Settings that also have an option of their own on the command line
COMMAND_OPTIONS = {"host": "serve --host", "port": "serve --port"}


def _default(setting: Setting) -> str:
    value = setting.default
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, list):
        return "`" + ",".join(value) + "`" if value else "(empty)"
    return f"`{value}`" if value != "" else "(empty)"


def settings_markdown() -> str:
    lines = [HEADER]
    section = ""
    for setting in SETTINGS:
        if setting.section != section:
            section = setting.section
            lines.append(f"\n## {section.capitalize()}\n")
            lines.append("| name | type | default | environment, command line | description |")
            lines.append("|---|---|---|---|---|")
        notes = []
        if setting.choices:
            notes.append("One of " + ", ".join(f"`{choice}`" for choice in setting.choices) + ".")
        if setting.restart:
            notes.append("Takes effect at the next start.")
        if setting.secret:
            notes.append("Secret: never shown.")
        description = " ".join([setting.help, *notes])
        where = [f"`{setting.env_name}`", f"`--set {setting.name}=`"]
        if setting.name in COMMAND_OPTIONS:
            where.append(f"`{COMMAND_OPTIONS[setting.name]}`")
        lines.append(
            f"| `{setting.name}` | {setting.type} | {_default(setting)} | "
            f"{', '.join(where)} | {description} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(settings_markdown(), end="")
