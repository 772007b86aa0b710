"""Files read from a folder the server does not own (the network file source) are checked when
they are read, not only when they were picked: a folder of the source replaced since by a link
leading out would otherwise serve any file of the server."""

from __future__ import annotations

from pathlib import Path

from vidjil_local.errors import PermissionDenied


def check_still_inside(path: Path, root: Path | None, shown_name: str) -> Path:
    """`path` (a real path, resolved when it was picked) when it still is the real path of a file
    inside `root`; PermissionDenied naming `shown_name` (never a server path) otherwise."""
    real = path.resolve()
    if root is None or real != path or not real.is_relative_to(root.resolve()):
        raise PermissionDenied(
            f"{shown_name} no longer leads to a file inside the file source (a link or folder "
            "there was changed since it was picked, or the file_source setting was): link it "
            "again"
        )
    return path
