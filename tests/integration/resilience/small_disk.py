"""A small real filesystem for disk-full tests: a tmpfs of a chosen size mounted by the test.

Mounting needs CAP_SYS_ADMIN: the test command runs as root on CI (`.ci/run` apt-installs as
root) and on the project machine, where `mount -t tmpfs -o size=` works. Elsewhere the test is
skipped locally and fails under CI=true (nothing may be skipped there). A tmpfs answers ENOSPC
to file writes and SQLite's writes exactly as a full disk does; a FUSE or loop-mounted image
would need the same privilege.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import IN_CI, require_program

FILL_BLOCK = 256 * 1024


@contextmanager
def small_disk(folder: Path, megabytes: int) -> Iterator[Path]:
    """`folder`, a tmpfs of `megabytes` MB for the duration of the block."""
    mount = require_program("mount")
    folder.mkdir(parents=True, exist_ok=True)
    options = f"size={megabytes}m,mode=0700"
    done = subprocess.run(
        [mount, "-t", "tmpfs", "-o", options, "vidjil-small-disk", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        message = f"cannot mount a small tmpfs here ({done.stderr.strip()})"
        if IN_CI:
            pytest.fail(message + " (CI=true: nothing may be skipped)")
        pytest.skip(message)
    try:
        yield folder
    finally:
        subprocess.run([require_program("umount"), "--lazy", str(folder)], check=True)


def fill(path: Path, leave: int = 0) -> int:
    """Write `path` until the disk holding it has at most `leave` bytes free; bytes written."""
    written = 0
    with path.open("ab", buffering=0) as output:
        while True:
            room = os.statvfs(path).f_bavail * os.statvfs(path).f_frsize - leave
            if room <= 0:
                return written
            try:
                written += output.write(b"\0" * min(FILL_BLOCK, room))
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
                return written
