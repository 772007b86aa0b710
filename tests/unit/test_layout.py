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
