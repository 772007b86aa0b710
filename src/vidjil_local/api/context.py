"""What the request handlers share: settings, database and job runtime of this app instance."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from vidjil_local.db import Database
from vidjil_local.jobs import JobRuntime
from vidjil_local.settings import Settings


@dataclass
class AppContext:
    settings: Settings
    database: Database
    runtime: JobRuntime | None
    started_at: float = field(default_factory=time.time)
