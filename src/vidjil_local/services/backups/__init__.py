"""Backups of a data folder (issue 11; Vidjil's restic service): consistent while the app works,
incremental (content-addressed), verified, kept by retention rules, scheduled, restorable.

- `take.py`: one backup (database online copy, files, manifest, check, commit, retention);
- `restore.py`: a backup (or a database copy made before an upgrade) back into a data folder;
- `store.py`, `manifest.py`, `verify.py`, `retention.py`, `contents.py`: the backup folder, what a
  backup holds and how it is checked and kept;
- `runs.py`, `health.py`, `notify.py`, `schedule.py`: the history, the state shown to the admins,
  the failure announcement and the app's scheduler.
"""

from vidjil_local.services.backups.contents import Contents, describe
from vidjil_local.services.backups.health import BackupHealth
from vidjil_local.services.backups.manifest import BackupError, Manifest
from vidjil_local.services.backups.runs import BackupRun, RunStatus, Trigger
from vidjil_local.services.backups.schedule import BackupScheduler
from vidjil_local.services.backups.store import BackupStore

__all__ = [
    "BackupError",
    "BackupHealth",
    "BackupRun",
    "BackupScheduler",
    "BackupStore",
    "Contents",
    "Manifest",
    "RunStatus",
    "Trigger",
    "describe",
]
