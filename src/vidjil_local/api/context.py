"""What the request handlers share: settings, database, job runtime and backup scheduler of this
app instance."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from vidjil_local.db import Database
from vidjil_local.jobs import JobRuntime
from vidjil_local.services.backups import BackupScheduler
from vidjil_local.services.metrics.access import MetricsReaders
from vidjil_local.services.notifications.sender import MailSender
from vidjil_local.settings import Settings


@dataclass
class AppContext:
    settings: Settings
    database: Database
    runtime: JobRuntime | None
    backups: BackupScheduler | None = None
    mail_sender: MailSender | None = None
    metrics_readers: MetricsReaders = field(default_factory=MetricsReaders)
    started_at: float = field(default_factory=time.time)
    network_port: int | None = None  # the HTTPS listener's port, as bound (network_port 0: any)

    def replace_settings(self, settings: Settings) -> None:
        """Use settings an administrator changed (those that apply without restart) from the
        next request on; the job runtime reads its limits from them too."""
        self.settings = settings
        if self.runtime is not None:
            self.runtime.settings = settings
        if self.backups is not None:
            self.backups.apply(settings)
