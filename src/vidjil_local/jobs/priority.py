"""A job's processes at a lower priority than the server's, so the pages stay quick while
analyses run (`job_niceness`). The job still uses every idle core: the operating system only
lets the server go first when both want the processor."""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)
_BELOW_NORMAL_PRIORITY_CLASS = 0x4000  # Windows' SetPriorityClass value


def lower_priority(niceness: int) -> None:
    """Make this process (and the processes it starts) `niceness` steps nicer; on Windows, any
    niceness above 0 is the below-normal priority class. A refusal is logged, never fatal."""
    if niceness <= 0:
        return
    try:
        if sys.platform == "win32":
            import ctypes

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
            if not kernel32.SetPriorityClass(
                kernel32.GetCurrentProcess(), _BELOW_NORMAL_PRIORITY_CLASS
            ):
                raise OSError("SetPriorityClass refused")
        else:
            os.nice(niceness)
    except OSError as error:
        log.warning("the job runs at the server's priority: %s", error)
