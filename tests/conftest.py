"""Fixtures shared by the whole suite: a settings object on a temporary data dir, its database,
an app client, and the policy for tests that need an outside component (Chromium, Redis)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from vidjil_local.db import Database, migrate
from vidjil_local.settings import Settings, resolve_settings

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_program(name: str) -> str:
    """Path of a program a test needs: missing is a skip locally, a failure under CI=true."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed"
        if IN_CI:
            pytest.fail(message + " (CI=true: nothing may be skipped)")
        pytest.skip(message)
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return resolve_settings(tmp_path / "data", environ={}, overrides={"workers_pool": 1})


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    database = Database(settings.database_path)
    migrate(database.db())
    yield database
    database.close()


@pytest.fixture(scope="session", autouse=True)
def expected_core() -> None:
    """The suite runs twice (compiled, then interpreted core): check each run is what it says."""
    wanted = os.environ.get("VIDJIL_EXPECT_CORE")
    if wanted:
        from vidjil_local.core import is_compiled

        actual = "compiled" if is_compiled() else "interpreted"
        assert actual == wanted, f"expected the {wanted} core, imported the {actual} one"
