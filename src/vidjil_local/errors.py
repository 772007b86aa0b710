"""The domain errors of vidjil-local.

Every error a user may see is a `VidjilError`: the command line prints its one-line message and
exits with its `exit_code`; the web API maps it (in `api/errors.py`, the only place) to an HTTP
status and the JSON error envelope. Fields are structured so both can show them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError


class VidjilError(Exception):
    """Base of the errors that are the user's to fix or to read, never a bug."""

    code = "error"
    http_status = 400
    exit_code = 1

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class UsageError(VidjilError):
    """A command line or a request that does not say what it must."""

    code = "usage"
    exit_code = 2


class SettingError(VidjilError):
    """An unknown setting, or a value that does not fit its type."""

    code = "setting"
    http_status = 422
    exit_code = 2


class SettingsFileError(VidjilError):
    """A settings.toml that cannot be read: a data problem (exit 1), not a usage one."""

    code = "settings_file"
    http_status = 500


class InputFormatError(VidjilError):
    """A reads file (or another input file) that is not what it claims, with where it broke."""

    code = "input_format"
    http_status = 422

    def __init__(self, message: str, path: str, line: int | None = None, **details: Any) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}", path=path, line=line, **details)
        self.path = path
        self.line = line


class GermlineError(VidjilError):
    """A germline set that is missing, malformed or does not have the asked loci."""

    code = "germline"
    http_status = 422


class DatabaseError(VidjilError):
    """A database the code cannot use (newer than the code, corrupted, locked)."""

    code = "database"
    http_status = 503


class NotFound(VidjilError):
    code = "not_found"
    http_status = 404


class Conflict(VidjilError):
    code = "conflict"
    http_status = 409


class PermissionDenied(VidjilError):
    code = "forbidden"
    http_status = 403


class NotAuthenticated(VidjilError):
    code = "unauthenticated"
    http_status = 401


class AlreadyRunning(VidjilError):
    """Another instance of the app holds the data directory."""

    code = "already_running"


class JobFailed(VidjilError):
    code = "job_failed"
    http_status = 500


def invalid_fields(error: ValidationError, what: str) -> UsageError:
    """A pydantic validation error told field by field ("options.top: must be >= 0"), with the
    fields in `details` for the API's error envelope."""
    fields = [
        {"field": ".".join(str(part) for part in problem["loc"]) or what, "problem": problem["msg"]}
        for problem in error.errors(include_url=False, include_context=False, include_input=False)
    ]
    listed = "; ".join(f"{field['field']}: {field['problem']}" for field in fields)
    return UsageError(f"{what}: {listed}", fields=fields)
