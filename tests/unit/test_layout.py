"""docs/architecture.md names the packages of the code; they must exist (and vice versa)."""

from __future__ import annotations

import re
from pathlib import Path

import vidjil_local

ROOT = Path(__file__).resolve().parents[2]


def test_every_documented_package_exists_and_every_package_is_documented() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`vidjil_local\.(\w+)`", text))
    package_dir = Path(vidjil_local.__file__).parent
    actual = {path.name for path in package_dir.iterdir() if (path / "__init__.py").exists()}
    actual |= {"static"} if (package_dir / "static").is_dir() else set()
    assert documented == actual


def test_the_services_table_names_every_feature_package_and_module() -> None:
    """Each `services/<feature>/` row lists the modules of that package, no more, no less."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    services = Path(vidjil_local.__file__).parent / "services"
    rows = dict(re.findall(r"^\| `services/(\w+)/` \| (.*) \|$", text, re.MULTILINE))
    packages = {path.name for path in services.iterdir() if (path / "__init__.py").exists()}
    assert set(rows) == packages
    for package, row in rows.items():
        documented = set(re.findall(r"`(\w+)\.py`", row))
        actual = {path.stem for path in (services / package).glob("*.py")} - {"__init__"}
        assert documented == actual, package
    root_row = re.search(r"^\| `services/` \(root\) \| (.*) \|$", text, re.MULTILINE)
    assert root_row is not None
    root_modules = {path.stem for path in services.glob("*.py")} - {"__init__"}
    assert set(re.findall(r"`(\w+)\.py`", root_row.group(1))) == root_modules
