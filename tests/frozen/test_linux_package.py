"""The .deb as hospital IT installs it: `dpkg -i`, the command and the desktop entry, a double-click
that opens the browser on a one-time login URL and a second one that reuses the running app, the
end of the desktop session, an upgrade in place, and a removal that keeps the lab's data.

The tests run in this order on one installed package; the last one removes it."""

from __future__ import annotations

import json
import os
import shlex
import signal
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import require_program
from tests.frozen.conftest import (
    COMMAND,
    DESKTOP_ENTRY,
    INSTALL_DIR,
    PACKAGE,
    dpkg,
    is_installed,
)
from tests.waiting import wait_until
from vidjil_local import __version__

pytestmark = pytest.mark.slow

ICONS = Path("/usr/share/icons/hicolor")
RECORDER = """#!/bin/sh
printf '%s %s\\n' "$1" "${LD_LIBRARY_PATH:-unset}" >> "$(dirname "$0")/opened"
"""


@pytest.fixture(scope="module")
def desktop_user(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment of a desktop session: a home, its data folder, and a "browser" that writes
    down each address it is asked to open (and the library path it was started with)."""
    home = tmp_path_factory.mktemp("home")
    browser = home / "browser"
    browser.write_text(RECORDER)
    browser.chmod(0o755)
    yield {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "BROWSER": str(browser),
        "PATH": "/usr/bin:/bin",
    }


def data_folder(user: dict[str, str]) -> Path:
    return Path(user["XDG_DATA_HOME"]) / "vidjil-local"


def opened(user: dict[str, str], count: int) -> list[tuple[str, str]]:
    """The (address, LD_LIBRARY_PATH) of each time the browser was opened, once it was `count`
    times."""
    record = Path(user["HOME"]) / "opened"

    def lines() -> list[str] | None:
        found = record.read_text().splitlines() if record.exists() else []
        return found if len(found) >= count else None

    found = wait_until(lines, timeout=60, what=f"the browser was not opened {count} time(s)")
    return [(line.split(" ")[0], line.split(" ", 1)[1]) for line in found]


def desktop_command() -> list[str]:
    lines = DESKTOP_ENTRY.read_text().splitlines()
    [exec_line] = [line for line in lines if line.startswith("Exec=")]
    return shlex.split(exec_line.removeprefix("Exec="))


def test_the_package_installs_the_program_its_command_and_desktop_entry(
    installed_package: Path,
) -> None:
    assert (INSTALL_DIR / "vidjil-local").is_file() and COMMAND.resolve() == INSTALL_DIR / PACKAGE
    version = subprocess.run([COMMAND, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.strip() == f"vidjil-local {__version__} (core: compiled)"
    validate = require_program("desktop-file-validate")
    checked = subprocess.run([validate, DESKTOP_ENTRY], capture_output=True, text=True)
    assert checked.returncode == 0 and checked.stdout == "", checked.stdout + checked.stderr
    assert desktop_command() == [str(INSTALL_DIR / "vidjil-local")]
    assert "Icon=vidjil-local" in DESKTOP_ENTRY.read_text()
    assert (ICONS / "scalable" / "apps" / "vidjil-local.svg").is_file()
    assert (ICONS / "256x256" / "apps" / "vidjil-local.png").read_bytes()[:4] == b"\x89PNG"
    owned = dpkg("-L", PACKAGE).stdout.splitlines()
    assert not [path for path in owned if path.startswith(("/home", "/root", "/var", "/etc"))]


def test_double_click_opens_the_browser_and_a_second_reuses_the_app(
    installed_package: Path, desktop_user: dict[str, str]
) -> None:
    first = subprocess.Popen(
        desktop_command(),
        env=desktop_user,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        [(address, library_path)] = opened(desktop_user, 1)
        base, _, token = address.partition("/auth/launch?token=")
        assert base.startswith("http://127.0.0.1:") and token
        assert str(INSTALL_DIR) not in library_path  # the browser gets the system's libraries
        assert "<form" in httpx.get(address).text
        entered = httpx.post(f"{base}/auth/launch", data={"token": token})
        assert entered.status_code == 303 and "expired" not in entered.headers["location"]
        reused = httpx.post(f"{base}/auth/launch", data={"token": token})
        assert "launch=expired" in reused.headers["location"]  # one time only

        second = subprocess.run(
            desktop_command(), env=desktop_user, timeout=60, capture_output=True
        )
        assert second.returncode == 0
        again, _ = opened(desktop_user, 2)[1]
        assert again.startswith(f"{base}/auth/launch?token=") and again != address
        running = json.loads((data_folder(desktop_user) / "instance.json").read_text())
        assert running["pid"] == first.pid  # no second server
        first.send_signal(signal.SIGHUP)  # the desktop session ends
        assert first.wait(timeout=30) == 0
    finally:
        if first.poll() is None:
            first.kill()
    assert not (data_folder(desktop_user) / "instance.json").exists()
    assert (data_folder(desktop_user) / "logs" / "vidjil-local.log").is_file()


def test_an_upgrade_in_place_keeps_the_data(
    installed_package: Path, deb_package: Path, desktop_user: dict[str, str], tmp_path: Path
) -> None:
    """A newer package over the installed one: the same .deb with a higher version."""
    unpacked = tmp_path / "unpacked"
    subprocess.run(["dpkg-deb", "-R", deb_package, unpacked], check=True)
    control = unpacked / "DEBIAN" / "control"
    newer = f"{__version__}+upgrade1"
    control.write_text(control.read_text().replace(f"Version: {__version__}", f"Version: {newer}"))
    upgrade = tmp_path / "upgrade.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Znone", "-b", unpacked, upgrade], check=True
    )
    database = data_folder(desktop_user) / "vidjil.sqlite"
    before = database.read_bytes()
    dpkg("-i", str(upgrade))
    status = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", PACKAGE], capture_output=True, text=True
    )
    assert status.stdout == newer
    assert database.read_bytes() == before


def test_removal_takes_the_program_and_keeps_the_data(
    installed_package: Path, desktop_user: dict[str, str]
) -> None:
    database = data_folder(desktop_user) / "vidjil.sqlite"
    assert database.is_file()
    dpkg("--remove", PACKAGE)
    assert not is_installed()
    assert not INSTALL_DIR.exists() and not os.path.lexists(COMMAND) and not DESKTOP_ENTRY.exists()
    dpkg("--purge", PACKAGE)
    check = sqlite3.connect(database)
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert check.execute("SELECT count(*) FROM configs").fetchone()[0] > 0
    check.close()
