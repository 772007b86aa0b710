"""The browser client's layout holds: the lab pages (`lab/`) and the results viewer (`viewer/`)
never import each other, only the generated API client talks to the server, and the frontend
README's layout table names what `frontend/src/` holds."""

from __future__ import annotations

import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "frontend" / "src"
README = SOURCE.parent / "README.md"
APPS = ("lab", "viewer")
IMPORT = re.compile(r'(?:from|import) "(\.[^"]+)"')
# XMLHttpRequest reports the progress of an upload's body, which fetch cannot.
UPLOAD = SOURCE / "lab" / "set" / "upload.ts"


def sources() -> list[Path]:
    return sorted(SOURCE.rglob("*.ts"))


def top_folder(path: Path) -> str:
    return path.relative_to(SOURCE).parts[0]


def imported_folders(path: Path) -> set[str]:
    targets = (
        (path.parent / spec).resolve() for spec in IMPORT.findall(path.read_text(encoding="utf-8"))
    )
    return {top_folder(target) for target in targets}


def test_the_lab_and_the_viewer_do_not_import_each_other() -> None:
    crossings = [
        f"{path.relative_to(SOURCE)} imports {folder}/"
        for path in sources()
        if top_folder(path) in APPS
        for folder in imported_folders(path) & set(APPS) - {top_folder(path)}
    ]
    assert crossings == []


def test_only_the_api_client_talks_to_the_server() -> None:
    client = SOURCE / "api" / "client.ts"
    fetching = [path for path in sources() if "fetch(" in path.read_text(encoding="utf-8")]
    assert fetching == [client]
    requesting = [path for path in sources() if "new XMLHttpRequest" in path.read_text("utf-8")]
    assert requesting == [UPLOAD]
    error_classes = [path for path in sources() if "class ApiError" in path.read_text("utf-8")]
    assert error_classes == [client]


def test_the_readme_layout_table_names_every_entry_of_src() -> None:
    text = README.read_text(encoding="utf-8")
    table = text.split("## Layout of `src/`", 1)[1].split("\n## ", 1)[0]
    named = {
        name.rstrip("/")
        for row in table.splitlines()
        if row.startswith("| `")
        for name in re.findall(r"`([^`]+)`", row.split("|")[1])
    }
    entries = {path.name for path in SOURCE.iterdir()}
    assert named == entries
