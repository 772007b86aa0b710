"""Import sqlite-utils without pandas and numpy.

sqlite-utils imports both at its own import when they are installed, to accept DataFrame and numpy
values (we insert neither). They are installed only because the `airr` library writes AIRR files
with them, and importing them costs 0.5-1 s at every start of the app and of each job process.
Hiding them while sqlite-utils loads keeps them out until an AIRR file is written.
"""

from __future__ import annotations

import sys

UNUSED_BY_SQLITE_UTILS = ("pandas", "numpy")


def import_sqlite_utils() -> None:
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in UNUSED_BY_SQLITE_UTILS if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # None in sys.modules: ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            del sys.modules[name]


import_sqlite_utils()
