"""Keyring backends for the tests of the secret store.

No Secret Service (nor any other OS keyring) runs on this machine or in CI, so the tests install
`MemoryKeyring`: a real keyring backend class (keyring's `KeyringBackend` API, with a priority,
chosen by `keyring.set_keyring`) that keeps its passwords in a dict of this process. It stands in
for the platform's keyring; what the tests check is our code's choice of backend and the moves
between it and the files. `PlaintextLookalike` carries the module name of keyrings.alt's plaintext
backend, which the store must refuse.
"""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringError, PasswordDeleteError


def fail_keyring() -> KeyringBackend:
    """keyring's own backend on a computer without a keyring (headless Linux, CI)."""
    return fail.Keyring()  # type: ignore[no-untyped-call]


def null_keyring() -> KeyringBackend:
    return null.Keyring()  # type: ignore[no-untyped-call]


def chainer_keyring() -> KeyringBackend:
    return chainer.ChainerBackend()  # type: ignore[no-untyped-call]


class MemoryKeyring(KeyringBackend):
    priority = 5

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError("no such password")


class RefusingKeyring(MemoryKeyring):
    """A keyring that answers but refuses to store (a locked collection, a denied access)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("the collection is locked")


class PlaintextLookalike(MemoryKeyring):
    """Named and placed like `keyrings.alt.file.PlaintextKeyring`."""


PlaintextLookalike.__module__ = "keyrings.alt.file"
PlaintextLookalike.__name__ = PlaintextLookalike.__qualname__ = "PlaintextKeyring"
