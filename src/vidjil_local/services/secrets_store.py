"""The install's own secrets kept in the data dir (0600 files in a 0700 directory).

The OS keyring takes over in a later issue; until then this is what CLI tools commonly do.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path


def read_or_create_secret(data_dir: Path, name: str, length: int = 48) -> str:
    folder = data_dir / "secrets"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    path = folder / name
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    value = secrets.token_urlsafe(length)
    descriptor, temporary = tempfile.mkstemp(dir=folder)  # created 0600
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(value)
    os.replace(temporary, path)
    return value
