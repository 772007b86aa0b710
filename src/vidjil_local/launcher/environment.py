"""What the app started from an icon needs of its surroundings: in the frozen build, the system's
library path for the programs it starts (the browser). Its log file (no console to print to) is
set up by `vidjil_local.log`."""

from __future__ import annotations

import os
import sys


def give_outside_programs_the_system_libraries() -> None:
    """PyInstaller's bootloader points LD_LIBRARY_PATH at the bundle's own libraries (the original
    value is in LD_LIBRARY_PATH_ORIG); a browser started with it loads our copies of libssl or libz
    and may fail. Our own spawned processes are the frozen executable again, whose bootloader sets
    the variable anew, so restoring it for the whole process is safe."""
    if not getattr(sys, "frozen", False) or "LD_LIBRARY_PATH" not in os.environ:
        return
    original = os.environ.get("LD_LIBRARY_PATH_ORIG")
    if original:
        os.environ["LD_LIBRARY_PATH"] = original
    else:
        del os.environ["LD_LIBRARY_PATH"]
