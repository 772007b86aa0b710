"""What the administrators are told of errors the server could not handle: an unhandled exception
behind a 500 answer, and a job that crashed after its last retry (or whose result could not be
recorded). The messages go through `admin_alerts.notify_admins` (subject prefix, rate limit);
each carries the place and the traceback, never a request's body, cookies or query values."""

from __future__ import annotations

import re
import socket
import traceback
from dataclasses import dataclass

from vidjil_local import __version__
from vidjil_local.db.clock import now
from vidjil_local.services import mail
from vidjil_local.settings import Settings

MAX_TRACEBACK_CHARS = 8000


@dataclass(frozen=True)
class Alert:
    subject: str
    body: str
    key: str  # same kind of error at the same place: rate-limited together


def _where(settings: Settings) -> str:
    return f"vidjil-local {__version__} on {socket.gethostname()} (data folder {settings.data_dir})"


def _route(path: str) -> str:
    """The path with its numbers as {id}: errors on /api/samples/3 and /4 are one kind."""
    return re.sub(r"/\d+(?=/|$)", "/{id}", path)


def _traceback(settings: Settings, exception: BaseException) -> str:
    text = "".join(traceback.format_exception(exception))
    if len(text) > MAX_TRACEBACK_CHARS:
        text = "...\n" + text[-MAX_TRACEBACK_CHARS:]
    return mail.scrub(settings, text)


def server_error(
    settings: Settings, *, method: str, path: str, user: str, exception: BaseException
) -> Alert:
    """An unhandled exception of a request (the user got 'internal error: see the server log')."""
    name = type(exception).__name__
    route = _route(path)
    body = (
        f"{_where(settings)} answered a request with an internal error (500).\n\n"
        f"  when:    {now()}\n  request: {method} {path}\n  user:    {user or '(none)'}\n"
        f"  error:   {name}\n\n{_traceback(settings, exception)}\n"
        "The request's data is not in this e-mail; the server log has the same traceback.\n"
    )
    return Alert(f"server error: {name} on {method} {route}", body, f"500 {name} {method} {route}")


def job_crashed(
    settings: Settings, *, job_id: int, kind: str, attempts: int, error: dict[str, object] | None
) -> Alert:
    """A job given up: it crashed (not a bad input, which is the user's to fix) on every try,
    or its result could not be recorded."""
    message = str((error or {}).get("message", "no message"))
    details = "\n".join(
        f"  {name}: {mail.scrub(settings, str(value))}"
        for name, value in (error or {}).items()
        if name != "message"
    )
    body = (
        f"{_where(settings)}: job {job_id} ({kind}) failed after {attempts} attempt(s) and is "
        f"not retried.\n\n  when:  {now()}\n  error: {mail.scrub(settings, message)}\n"
        f"{details}\n\nThe Server status page lists the job; the user may run it again.\n"
    )
    return Alert(f"job {job_id} ({kind}) crashed", body, f"job crashed {kind}")
