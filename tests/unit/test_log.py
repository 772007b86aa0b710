"""The log files: redaction of secrets and sensitive values, rotation under the size cap, and the
request log's hidden query values."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from vidjil_local.api import request_log
from vidjil_local.api.request_log import shown_path
from vidjil_local.log import (
    APP_LOG,
    REQUEST_LOG,
    REQUEST_LOGGER,
    configure_logging,
    log_folder,
    redact,
)
from vidjil_local.settings import Settings, resolve_settings, write_setting


@pytest.mark.parametrize(
    ("text", "kept", "hidden"),
    [
        ("login with password=hunter2 failed", "password=***", "hunter2"),
        ('{"password": "hunter2", "email": "a@b.c"}', '"email": "a@b.c"', "hunter2"),
        ("GET /auth/launch?token=Zx9_k2&x=1", "token=***&x=1", "Zx9_k2"),
        ("Cookie: csrftoken=AbCd123; session=f00ba4", "Cookie: ***; session=***", "AbCd"),
        ("redis://:s3cr3t@10.0.0.2:6379/0 refused", "redis://:***@10.0.0.2", "s3cr3t"),
        ("Authorization: Bearer eyJhbGciOi.x.y", "Authorization: ***", "eyJhbGciOi"),
        ("header bearer eyJhbGciOi.x.y", "bearer ***", "eyJhbGciOi"),
        ("the login code: 123456 was sent", "code: ***", "123456"),
        ("session_id=0a1b2c3d4e", "session_id=***", "0a1b2c3d4e"),
    ],
)
def test_sensitive_values_are_hidden(text: str, kept: str, hidden: str) -> None:
    redacted = redact(text)
    assert hidden not in redacted and kept in redacted, redacted


def test_secret_values_are_hidden_wherever_they_are() -> None:
    assert redact("smtp said: bad auth for mailer:Tr0ub4dor&3", ["Tr0ub4dor&3"]) == (
        "smtp said: bad auth for mailer:***"
    )
    assert redact("an ordinary sentence", ["an"]) == "an ordinary sentence"  # too short to hide


@pytest.fixture
def logged(tmp_path: Path) -> Iterator[Settings]:
    data_dir = tmp_path / "data"
    write_setting(data_dir, "smtp_credentials", "mailer:Tr0ub4dor&3", environ={})
    settings = resolve_settings(
        data_dir, environ={}, overrides={"log_file_megabytes": 1, "log_files_kept": 3}
    )
    configure_logging(settings, console=False)
    yield settings
    for logger in (logging.getLogger(), logging.getLogger(REQUEST_LOGGER)):
        for handler in list(logger.handlers):
            if getattr(handler, "_vidjil_local_handler", False):
                logger.removeHandler(handler)
                handler.close()
    logging.getLogger().setLevel(logging.WARNING)


def test_the_app_log_hides_secrets_even_in_tracebacks(logged: Settings) -> None:
    key = (logged.data_dir / "secrets" / "session_secret_key").read_text()
    log = logging.getLogger("vidjil_local.test")
    log.info("the key is %s and the SMTP password Tr0ub4dor&3", key)
    try:
        raise ValueError(f"failed with mailer:Tr0ub4dor&3 and {key[:32]}")
    except ValueError:
        log.exception("it broke")
    text = (log_folder(logged.data_dir) / APP_LOG).read_text()
    assert "it broke" in text and "ValueError" in text and "***" in text
    assert "Tr0ub4dor" not in text and key[:32] not in text


def test_a_line_logged_inside_an_event_loop_is_in_the_file_at_once(logged: Settings) -> None:
    """A thread running an event loop (the server's, or Playwright's in the tests) does not hold
    the app log's lines back: they were flushed only at the loop's next turn, which may never
    come."""

    async def log_and_read() -> str:
        logging.getLogger("vidjil_local.test").warning("written at once")
        return (log_folder(logged.data_dir) / APP_LOG).read_text()

    with concurrent.futures.ThreadPoolExecutor(1) as thread:  # a loop of its own, whatever runs
        assert "written at once" in thread.submit(asyncio.run, log_and_read()).result()


def test_each_log_is_rotated_under_its_cap(logged: Settings) -> None:
    app, requests = logging.getLogger("vidjil_local.test"), logging.getLogger(REQUEST_LOGGER)
    line = "x" * 1000
    for number in range(4000):  # about 4 MB in each log
        app.info("%d %s", number, line)
        requests.info("127.0.0.1 - GET /api/health 200 0.1 ms %s", line)
    folder = log_folder(logged.data_dir)
    for name in (APP_LOG, REQUEST_LOG):
        files = sorted(folder.glob(name + "*"))
        assert [path.name for path in files] == [name, name + ".1", name + ".2"]
        assert all(path.stat().st_size <= 1024 * 1024 for path in files)
    newest = (folder / APP_LOG).read_text().splitlines()[-1]
    assert newest.split(": ", 1)[1].startswith("3999 ")
    assert "GET /api/health" not in (folder / APP_LOG).read_text()


def test_the_request_log_hides_sensitive_query_values() -> None:
    scope = {"path": "/auth/launch", "query_string": b"token=Zx9_k2&next=%2Fhome&code=123456"}
    assert shown_path(scope) == "/auth/launch?token=***&next=/home&code=***"  # type: ignore[arg-type]
    assert shown_path(scope) == "/auth/launch?token=***&next=/home&code=***"  # type: ignore[arg-type]
    assert not any(b"Zx9_k2" in query for _, query in request_log._shown_plain), "token kept"
    plain = {"path": "/api/results/1/clones", "query_string": b"sort=-reads&limit=100"}
    assert shown_path(plain) == shown_path(plain) == "/api/results/1/clones?sort=-reads&limit=100"  # type: ignore[arg-type]
