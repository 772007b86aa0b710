"""The desktop app as people get it: the one-folder build (`dist/vidjil-local`), the `.deb`
installed with dpkg, and the portable tar.gz, all made by `scripts/packaging.sh` before these tests
run (`scripts/test.sh`). They test the executables, never the source tree.

A missing build fails under CI=true and is a skip locally. Installing the `.deb` needs root (CI runs
as root): without it the app checks run on the built folder and the package tests skip, which
CI=true does not allow. One test session at a time installs the package on a machine (a lock).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from tests.conftest import IN_CI, require_program
from vidjil_local import __version__

REPOSITORY = Path(__file__).resolve().parents[2]
DIST = REPOSITORY / "dist"
PACKAGE = "vidjil-local"
INSTALL_DIR = Path("/opt/vidjil-local")
COMMAND = Path("/usr/bin/vidjil-local")
DESKTOP_ENTRY = Path("/usr/share/applications/vidjil-local.desktop")
PACKAGE_TESTS_LOCK = Path(tempfile.gettempdir()) / "vidjil-local-package-tests.lock"


def missing(message: str) -> NoReturn:
    if IN_CI:
        pytest.fail(message + " (CI=true: nothing may be skipped)")
    pytest.skip(message)


def is_installed() -> bool:
    status = subprocess.run(
        ["dpkg-query", "-W", "-f=${db:Status-Status}", PACKAGE], capture_output=True, text=True
    )
    return status.stdout == "installed"


def dpkg(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["dpkg", *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="session")
def built_app() -> Path:
    path = DIST / "vidjil-local" / "vidjil-local"
    if not path.is_file():
        missing(f"{path} is not built (bash scripts/build-app.sh)")
    return path


@pytest.fixture(scope="session")
def deb_package() -> Path:
    require_program("dpkg-deb")
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    path = DIST / f"vidjil-local_{__version__}_{arch}.deb"
    if not path.is_file():
        missing(f"{path} is not built (bash scripts/build-app.sh)")
    return path


@pytest.fixture(scope="session")
def installed_package(deb_package: Path) -> Iterator[Path]:
    """`dpkg -i` of the package; purged at the end if a test has not removed it already."""
    if os.geteuid() != 0:
        missing("installing the .deb needs root")
    with PACKAGE_TESTS_LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another test session of this machine may hold it
        if is_installed():
            dpkg("--purge", PACKAGE)  # what an interrupted earlier run left
        dpkg("-i", str(deb_package))
        try:
            yield COMMAND
        finally:
            if is_installed():
                dpkg("--purge", PACKAGE)


@pytest.fixture(scope="session")
def app_program(request: pytest.FixtureRequest, built_app: Path) -> Path:
    """The program the checks run: the installed `vidjil-local` command when this session may
    install the package (root), else the built folder's executable."""
    if os.geteuid() == 0 or IN_CI:
        command: Path = request.getfixturevalue("installed_package")
        assert shutil.which("vidjil-local") == str(command)
        return command
    return built_app
