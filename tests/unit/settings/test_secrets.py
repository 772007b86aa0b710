"""The secret store: the OS keyring when a real one answers, else 0600 files in a 0700 folder;
plaintext and do-nothing keyrings refused; moves between the two keep every value."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer

from tests.keyrings import (
    MemoryKeyring,
    PlaintextLookalike,
    RefusingKeyring,
    chainer_keyring,
    fail_keyring,
    null_keyring,
)
from vidjil_local.settings import SecretStore, resolve_settings, write_setting
from vidjil_local.settings.secrets import platform_keyring

NAMES = ("session_secret_key", "smtp_credentials", "metrics_user_password")


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_without_an_os_keyring_secrets_are_0600_files_in_a_0700_folder(tmp_path: Path) -> None:
    store = SecretStore(tmp_path, "auto", NAMES)
    store.set("smtp_credentials", "mailer:pa55")
    folder = tmp_path / "secrets"
    assert mode_of(folder) == 0o700 and mode_of(folder / "smtp_credentials") == 0o600
    assert SecretStore(tmp_path, "auto", NAMES).get("smtp_credentials") == "mailer:pa55"
    info = store.info
    assert info.kind == "file" and "0600" in info.location and str(folder) in info.location
    assert "no OS keyring" in info.reason and "fail" in info.reason.lower()


@pytest.mark.parametrize("backend", [fail_keyring(), null_keyring(), PlaintextLookalike()])
def test_do_nothing_and_plaintext_keyrings_are_refused(
    tmp_path: Path, backend: KeyringBackend
) -> None:
    keyring.set_keyring(backend)
    assert platform_keyring()[0] is None
    store = SecretStore(tmp_path, "auto", NAMES)
    store.set("metrics_user_password", "m3trics")
    assert store.info.kind == "file"
    assert (tmp_path / "secrets" / "metrics_user_password").read_text() == "m3trics"
    if isinstance(backend, PlaintextLookalike):
        assert backend.passwords == {}


def test_a_chainer_is_looked_through_to_its_best_real_backend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real, plaintext = MemoryKeyring(), PlaintextLookalike()
    plaintext.priority = 9  # preferred by keyring itself
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [plaintext, real])
    keyring.set_keyring(chainer_keyring())
    store = SecretStore(tmp_path, "auto", NAMES)
    store.set("smtp_credentials", "u:p")
    assert store.info.kind == "keyring" and plaintext.passwords == {}
    assert list(real.passwords.values()) == ["u:p"]


def test_an_os_keyring_that_answers_is_used(tmp_path: Path, os_keyring: MemoryKeyring) -> None:
    store = SecretStore(tmp_path, "auto", NAMES)
    store.set("smtp_credentials", "mailer:pa55")
    assert store.info.kind == "keyring" and store.info.backend.endswith("MemoryKeyring")
    assert not (tmp_path / "secrets" / "smtp_credentials").exists()
    service = f"vidjil-local {tmp_path.resolve()}"
    assert os_keyring.passwords == {(service, "smtp_credentials"): "mailer:pa55"}
    store.set("smtp_credentials", "")
    assert store.get("smtp_credentials") is None and os_keyring.passwords == {}


def test_files_move_into_a_keyring_that_appears_and_back_with_secret_store_file(
    tmp_path: Path,
) -> None:
    first = SecretStore(tmp_path, "auto", NAMES)
    key = first.get_or_create("session_secret_key")
    first.set("smtp_credentials", "mailer:pa55")
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    moved = SecretStore(tmp_path, "auto", NAMES)
    assert moved.get("session_secret_key") == key and moved.info.kind == "keyring"
    assert sorted(name for _, name in backend.passwords) == [
        "session_secret_key",
        "smtp_credentials",
    ]
    assert [path.name for path in (tmp_path / "secrets").iterdir()] == []
    back = SecretStore(tmp_path, "file", NAMES)
    assert back.get("session_secret_key") == key and back.info.kind == "file"
    assert back.get("smtp_credentials") == "mailer:pa55" and backend.passwords == {}


def test_a_keyring_refusing_to_store_leaves_every_secret_in_its_file(tmp_path: Path) -> None:
    SecretStore(tmp_path, "auto", NAMES).set("smtp_credentials", "mailer:pa55")
    SecretStore(tmp_path, "auto", NAMES).set("metrics_user_password", "m3trics")
    keyring.set_keyring(RefusingKeyring())
    store = SecretStore(tmp_path, "auto", NAMES)
    assert store.get("smtp_credentials") == "mailer:pa55"
    assert store.get("metrics_user_password") == "m3trics"
    assert store.info.kind == "file" and "refused" in store.info.reason


def test_the_session_key_file_of_earlier_versions_is_kept(tmp_path: Path) -> None:
    (tmp_path / "secrets").mkdir(mode=0o700)
    (tmp_path / "secrets" / "session").write_text("old-key-of-an-earlier-version")
    settings = resolve_settings(tmp_path, environ={})
    assert settings.session_secret_key == "old-key-of-an-earlier-version"


def test_secrets_never_reach_settings_toml(tmp_path: Path) -> None:
    write_setting(tmp_path, "smtp_credentials", "mailer:pa55", environ={})
    write_setting(tmp_path, "smtp_server", "mail.lab:587", environ={})
    text = (tmp_path / "settings.toml").read_text()
    assert "pa55" not in text and tomllib.loads(text) == {"smtp_server": "mail.lab:587"}
    settings = resolve_settings(tmp_path, environ={})
    assert settings.smtp_credentials == "mailer:pa55"
    assert "pa55" not in repr(settings)


def test_a_secret_left_in_settings_toml_by_an_earlier_version_moves_out(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text('smtp_credentials = "mailer:pa55"\nport = 8080\n')
    settings = resolve_settings(tmp_path, environ={})
    assert settings.smtp_credentials == "mailer:pa55" and settings.port == 8080
    assert tomllib.loads((tmp_path / "settings.toml").read_text()) == {"port": 8080}
    assert (tmp_path / "secrets" / "smtp_credentials").read_text() == "mailer:pa55"


def test_the_redis_url_with_its_password_stays_out_of_settings_toml(tmp_path: Path) -> None:
    # the admin guide puts Redis's password in redis_url: it was kept in settings.toml in clear
    # and the settings page showed it; an earlier version's file has it moved out
    (tmp_path / "settings.toml").write_text('redis_url = "redis://:r3dis-word@lab:6379/0"\n')
    assert resolve_settings(tmp_path, environ={}).redis_url == "redis://:r3dis-word@lab:6379/0"
    assert "r3dis-word" not in (tmp_path / "settings.toml").read_text()
    write_setting(tmp_path, "redis_url", "redis://:n3w-word@lab:6379/0", environ={})
    assert "n3w-word" not in (tmp_path / "settings.toml").read_text()
    assert resolve_settings(tmp_path, environ={}).redis_url == "redis://:n3w-word@lab:6379/0"


def test_the_environment_still_wins_over_the_store(tmp_path: Path) -> None:
    write_setting(tmp_path, "smtp_credentials", "mailer:stored", environ={})
    settings = resolve_settings(tmp_path, environ={"VIDJIL_SMTP_CREDENTIALS": "mailer:env"})
    assert settings.smtp_credentials == "mailer:env"
