"""Fixtures shared by the whole suite: a settings object on a temporary data dir, its database,
an app client, and the policy for tests that need an outside component (Chromium, Redis)."""

from __future__ import annotations

import os
import re
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from litestar import Litestar
from litestar.testing import TestClient

from tests.keyrings import MemoryKeyring, fail_keyring
from tests.waiting import wait_until
from vidjil_local.db import Database, migrate
from vidjil_local.settings import Settings, resolve_settings

IN_CI = os.environ.get("CI", "").lower() == "true"
# The test client's default name (testserver.local) is no name of this app: the app refuses
# any Host but its own (DNS rebinding), so tests call it by a loopback name.
LOCAL_URL = "http://127.0.0.1"


def local_client(app: Litestar, **options: Any) -> TestClient[Litestar]:
    """Litestar's test client for `app`, calling it as a browser on this computer does (the app
    answers only its own Host names, `api/edge.py`)."""
    return TestClient(app, base_url=LOCAL_URL, **options)


# No test touches the keyring of the person running the suite: keyring's `fail` backend (what a
# headless Linux has) for this process and the app processes tests start, unless a test installs
# the in-memory backend of tests/keyrings.py (the `os_keyring` fixture).
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


SLOW_TIMEOUT = 240  # seconds for a test marked `slow` (a real server, a browser, a whole analysis)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test marked `slow` gets SLOW_TIMEOUT unless it sets its own `timeout` mark."""
    for item in items:
        if item.get_closest_marker("slow") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(SLOW_TIMEOUT))


def require_program(name: str) -> str:
    """Path of a program a test needs: missing is a skip locally, a failure under CI=true."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed"
        if IN_CI:
            pytest.fail(message + " (CI=true: nothing may be skipped)")
        pytest.skip(message)
    return path


@pytest.fixture(autouse=True)
def no_os_keyring() -> Iterator[None]:
    import keyring

    keyring.set_keyring(fail_keyring())
    yield
    keyring.set_keyring(fail_keyring())


@pytest.fixture
def os_keyring() -> MemoryKeyring:
    """An OS keyring that answers (tests/keyrings.py says what it is and why)."""
    import keyring

    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return resolve_settings(tmp_path / "data", environ={}, overrides={"workers_pool": 1})


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    database = Database(settings.database_path)
    migrate(database.db())
    yield database
    database.close()


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes() -> Iterator[PasswordHasher]:
    """argon2 at its lowest cost in the test process: the app's hash and check still run (real
    argon2id hashes, stored and verified), but in about a millisecond instead of the production
    cost (64 MiB, 3 passes, 4 lanes: up to a second each on a busy 2-core machine, and the suite
    makes hundreds of accounts and logins). Apps that tests start as processes keep that cost.
    Yields the app's own hasher, whose cost tests/unit/services/test_password_hashes.py checks."""
    from vidjil_local.services.accounts import passwords

    production = passwords._hasher
    quick = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", quick)
        yield production


@pytest.fixture(scope="session", autouse=True)
def expected_core() -> None:
    """The suite runs twice (compiled, then interpreted core): check each run is what it says."""
    wanted = os.environ.get("VIDJIL_EXPECT_CORE")
    if wanted:
        from vidjil_local.core import is_compiled

        actual = "compiled" if is_compiled() else "interpreted"
        assert actual == wanted, f"expected the {wanted} core, imported the {actual} one"


class Inbox:
    """The messages a loopback SMTP server received; `code()` waits for a login code."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def code(self) -> str:
        wait_until(lambda: self.messages, timeout=15, interval=0.05, what="no e-mail arrived")
        found = re.search(r"\b(\d{6})\b", str(self.messages[-1].get_payload()))
        assert found, self.messages[-1]
        return found.group(1)


@contextmanager
def smtp_listener() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server (aiosmtpd) on a free loopback port, and what it received."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on loopback for one test."""
    with smtp_listener() as listener:
        yield listener
