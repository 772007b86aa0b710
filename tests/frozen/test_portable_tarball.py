"""The portable tar.gz, for a computer where the user is not root: unpacked anywhere it runs, and
`install-desktop-entry.sh` puts it in the user's own applications menu (and takes it out)."""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path

import pytest

from tests.app_process import start_app, stop, wait_for_url
from tests.conftest import require_program
from tests.frozen.conftest import DIST, missing
from vidjil_local import __version__

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    archives = sorted(DIST.glob(f"vidjil-local-{__version__}-linux-*.tar.gz"))
    if not archives:
        missing(f"no portable archive of {__version__} in {DIST} (bash scripts/build-app.sh)")
    folder = tmp_path_factory.mktemp("portable with space")
    with tarfile.open(archives[-1]) as archive:
        archive.extractall(folder, filter="tar")
    return folder / f"vidjil-local-{__version__}"


def test_the_unpacked_folder_runs(unpacked: Path, tmp_path: Path) -> None:
    program = unpacked / "vidjil-local"
    version = subprocess.run([program, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.strip() == f"vidjil-local {__version__} (core: compiled)"
    server = start_app(tmp_path / "data", "serve", "--port", "0", program=[str(program)])
    try:
        wait_for_url(tmp_path / "data", server)
    finally:
        stop(server)
    assert server.returncode == 0


def test_the_desktop_entry_of_one_user(unpacked: Path, tmp_path: Path) -> None:
    share = tmp_path / "share"
    environment = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(share), "PATH": "/usr/bin:/bin"}
    script = unpacked / "install-desktop-entry.sh"
    subprocess.run([script], env=environment, check=True, capture_output=True)
    entry = share / "applications" / "vidjil-local.desktop"
    checked = subprocess.run(
        [require_program("desktop-file-validate"), entry], capture_output=True, text=True
    )
    assert checked.returncode == 0 and checked.stdout == "", checked.stdout
    assert f'Exec="{unpacked}/vidjil-local"' in entry.read_text()
    assert (share / "icons" / "hicolor" / "256x256" / "apps" / "vidjil-local.png").is_file()
    subprocess.run([script, "--remove"], env=environment, check=True, capture_output=True)
    assert not entry.exists()
