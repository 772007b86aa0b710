"""The app's log files in `<data dir>/logs`, and what keeps secrets out of them.

- `vidjil-local.log`: what the app says (start, migrations, jobs, backups, errors), at `log_level`;
- `requests.log`: one line per HTTP request (client address, user, method, path, status, time),
  written by `api/request_log.py` to the `vidjil_local.requests` logger.

Each is rotated when it reaches `log_file_megabytes` and `log_files_kept` files of it are kept. The
server process (desktop launch or `serve`) is the only one writing them; other commands log to the
console. Every line goes through `redact`: the values of the secret settings are replaced wherever
they appear, and so is whatever follows a word such as password, token, code, secret, session,
csrf, cookie or authorization, a URL's user:password and a bearer token.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import re
import sys
import time
from collections.abc import Iterable
from logging.handlers import RotatingFileHandler
from pathlib import Path

from vidjil_local.settings import Settings, secrets_of

FOLDER = "logs"
APP_LOG = "vidjil-local.log"
REQUEST_LOG = "requests.log"
REQUEST_LOGGER = "vidjil_local.requests"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REQUEST_FORMAT = "%(asctime)s %(message)s"
MIN_SECRET_LENGTH = 4  # shorter values would blank out ordinary words
QUIET_LOGGERS = ("dramatiq", "httpx", "apscheduler", "uvicorn.access", "aiosmtpd", "mail.log")
_OURS = "_vidjil_local_handler"

SENSITIVE_WORDS = (
    r"password|passwd|pwd|secret|token|csrf[\w-]*|session[\w-]*|cookie|authorization|"
    r"credentials|api[_-]?key|code"
)
_AFTER_WORD = re.compile(rf"(?i)\b({SENSITIVE_WORDS})(\"?'?\s*[=:]\s*\"?'?)([^\s\"'&,;)\]}}]+)")
_URL_PASSWORD = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@]*:)([^@\s/]+)(@)")
_BEARER = re.compile(r"(?i)\b(bearer\s+)(\S+)")
# the regular expressions (slow: ~80 us a line) run only on lines holding one of these
_CLUES = ("pass", "pwd", "secret", "token", "csrf", "session", "cookie", "authori", "credential",
          "key", "code", "bearer")  # fmt: skip
HIDDEN = "***"


def redact(text: str, secret_values: Iterable[str] = ()) -> str:
    """`text` with secret values and the values of sensitive-looking words replaced by ***."""
    return _redact(text, _longest_first(secret_values))


def _longest_first(secret_values: Iterable[str]) -> tuple[str, ...]:
    """The values worth hiding, longest first (a value may hold a shorter one)."""
    kept = (value for value in secret_values if len(value) >= MIN_SECRET_LENGTH)
    return tuple(sorted(kept, key=len, reverse=True))


def _redact(text: str, longest_first: tuple[str, ...]) -> str:
    for value in longest_first:
        if value in text:
            text = text.replace(value, HIDDEN)
    if "://" in text:
        text = _URL_PASSWORD.sub(rf"\1{HIDDEN}\3", text)
    lowered = text.lower()
    if not any(clue in lowered for clue in _CLUES):
        return text
    text = _BEARER.sub(rf"\1{HIDDEN}", text)
    return _AFTER_WORD.sub(rf"\1\2{HIDDEN}", text)


class RedactingFormatter(logging.Formatter):
    """Formats as usual (traceback included), then redacts the whole text. The date and time
    of a second are formatted once (a line per request must stay cheap)."""

    def __init__(self, fmt: str, secret_values: Iterable[str]) -> None:
        super().__init__(fmt)
        self.secret_values = _longest_first(secret_values)
        self._second: tuple[int, str] = (-1, "")

    def format(self, record: logging.LogRecord) -> str:
        return _redact(super().format(record), self.secret_values)

    def format_now(self, message: str) -> str:
        """`message` as `%(asctime)s %(message)s` formats it now, redacted."""
        now = time.time()
        return _redact(
            f"{self._stamp(now)},{int((now % 1) * 1000):03d} {message}", self.secret_values
        )

    def _stamp(self, created: float) -> str:
        second, stamp = self._second
        if second != int(created):
            second = int(created)
            stamp = time.strftime(self.default_time_format, self.converter(created))
            self._second = (second, stamp)
        return stamp

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        if datefmt is not None:
            return super().formatTime(record, datefmt)
        return f"{self._stamp(record.created)},{int(record.msecs):03d}"  # logging's msec format


def secret_values(settings: Settings) -> list[str]:
    """The secret settings' values, and their parts that could be printed on their own (the
    SMTP password, the part of the session key that signs CSRF cookies)."""
    session = settings.session_secret_key or secrets_of(settings).get_or_create(
        "session_secret_key"
    )
    password = settings.smtp_credentials.partition(":")[2]
    values = [session, session[:32], settings.smtp_credentials, password]
    return [value for value in (*values, settings.metrics_user_password) if value]


def log_folder(data_dir: Path) -> Path:
    return data_dir / FOLDER


def configure_logging(settings: Settings, *, console: bool = True) -> Path:
    """Send the app's log and the request log to their rotating files in the data dir (and the
    app's log to the console when there is one); return the folder. Calling it again replaces
    the handlers it installed."""
    folder = log_folder(settings.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    secrets = secret_values(settings)
    level = getattr(logging, settings.log_level.upper(), logging.INFO)
    root = logging.getLogger()
    _remove_ours(root)
    root.setLevel(level)
    root.addHandler(_file_handler(settings, folder / APP_LOG, FORMAT, secrets))
    if console and sys.stderr is not None:
        root.addHandler(_ours(logging.StreamHandler(sys.stderr), FORMAT, secrets))
    requests = logging.getLogger(REQUEST_LOGGER)
    _remove_ours(requests)
    requests.propagate = False
    requests.setLevel(logging.INFO)
    requests.addHandler(_file_handler(settings, folder / REQUEST_LOG, REQUEST_FORMAT, secrets))
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(level if level == logging.DEBUG else logging.WARNING)
    return folder


class _RotatingFile(RotatingFileHandler):
    """`RotatingFileHandler` made cheap enough for a line per request (the request log was a
    fifth of a light request's server time): each line is formatted (and so redacted) once (the
    standard one formats it again to measure it), and the file's size is counted rather than
    asked (`tell` on a text file flushes and seeks). `write_message` writes a request line
    without a `LogRecord`, flushed with the other lines of the same event-loop turn."""

    _size = 0
    _flush_pending = False

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._write(self.format(record) + self.terminator)
            self.flush()
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)

    def write_message(self, message: str, loop: asyncio.AbstractEventLoop) -> None:
        """`message` as a line of this log at the present time, as `emit` would write it,
        flushed once `loop` (the server's, running this call) has run what it has to run: one
        system call for the lines of a loop turn, before the loop waits for the network."""
        formatter = self.formatter
        if not isinstance(formatter, RedactingFormatter):
            raise TypeError("write_message needs the log's RedactingFormatter")
        with self.lock:  # type: ignore[union-attr]  # Handler.createLock made it
            try:
                self._write(formatter.format_now(message) + self.terminator)
            except RecursionError:
                raise
            except Exception:
                self.handleError(logging.makeLogRecord({"msg": message}))
                return
            if not self._flush_pending:
                self._flush_pending = True
                loop.call_soon(self._flush_now)

    def _write(self, line: str) -> None:
        size = len(line.encode(self.encoding or "utf-8", "replace"))
        stream = self._stream()
        if self.maxBytes > 0 and self._size + size >= self.maxBytes:
            self.doRollover()
            stream = self._stream()
        stream.write(line)
        self._size += size

    def _flush_now(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            self._flush_pending = False
        self.flush()

    def _stream(self) -> io.TextIOWrapper:
        if self.stream is None:
            self.stream = self._open()
        return self.stream

    def _open(self) -> io.TextIOWrapper:
        stream = super()._open()
        self._size = os.fstat(stream.fileno()).st_size
        return stream


def _file_handler(settings: Settings, path: Path, fmt: str, secrets: list[str]) -> logging.Handler:
    handler = _RotatingFile(
        path,
        maxBytes=settings.log_file_megabytes * 1024 * 1024,
        backupCount=settings.log_files_kept - 1,
        encoding="utf-8",
    )
    return _ours(handler, fmt, secrets)


def _ours(handler: logging.Handler, fmt: str, secrets: list[str]) -> logging.Handler:
    handler.setFormatter(RedactingFormatter(fmt, secrets))
    setattr(handler, _OURS, True)
    return handler


def _remove_ours(logger: logging.Logger) -> None:
    """Our handlers, and a plain console handler (the command line's, which does not redact)."""
    for handler in list(logger.handlers):
        if getattr(handler, _OURS, False) or type(handler) is logging.StreamHandler:
            logger.removeHandler(handler)
            handler.close()
