"""Secrets on a running app: where the settings page says they are, never in settings.toml nor an
API answer, and moved between the files and an OS keyring without logging anyone out."""

from __future__ import annotations

from pathlib import Path

import keyring

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api
from tests.keyrings import MemoryKeyring
from vidjil_local.api.app import create_app
from vidjil_local.settings import Settings, resolve_settings

PATIENT = {"kind": "patient", "first_name": "Ada", "last_name": "Lovelace"}


def restarted(settings: Settings, **environ: str) -> Settings:
    return resolve_settings(settings.data_dir, environ=environ, overrides={"workers_pool": 1})


def still_logged_in(settings: Settings, cookies: dict[str, str]) -> int:
    """With the browser's cookies of before the restart: who am I, and a state-changing POST
    (which needs the CSRF cookie signed with the same session key). Returns the POST's status."""
    with local_client(create_app(settings, start_jobs=False), cookies=cookies) as client:
        me = client.get("/api/auth/me")
        assert me.status_code == 200 and me.json()["email"] == ADMIN["email"], me.text
        headers = {"x-csrftoken": cookies["csrftoken"]}
        return client.post("/api/sample-sets", json=PATIENT, headers=headers).status_code


def test_moving_between_files_and_keyring_keeps_logins(settings: Settings) -> None:
    with local_client(create_app(settings, start_jobs=False)) as client:
        assert Api(client).post("/api/auth/setup", json=ADMIN).status_code == 201
        cookies = dict(client.cookies)
    secrets = settings.data_dir / "secrets"
    key = (secrets / "session_secret_key").read_text()

    backend = MemoryKeyring()
    keyring.set_keyring(backend)  # the keyring becomes available: the next start moves the key
    assert still_logged_in(restarted(settings), cookies) == 201
    assert list(backend.passwords.values()) == [key] and list(secrets.iterdir()) == []

    assert still_logged_in(restarted(settings, VIDJIL_SECRET_STORE="file"), cookies) == 201
    assert (secrets / "session_secret_key").read_text() == key and backend.passwords == {}

    (secrets / "session_secret_key").unlink()  # control: a new key would log everyone out
    assert still_logged_in(restarted(settings), cookies) == 403


def test_the_settings_page_names_the_store(admin_api: Api, settings: Settings) -> None:
    store = admin_api.get("/api/admin/secret-store").json()
    assert store["kind"] == "file" and store["backend"] == "files"
    assert str(settings.data_dir / "secrets") in store["location"] and "0600" in store["location"]
    assert "no OS keyring" in store["reason"]


def test_with_an_os_keyring_the_page_names_it(
    admin_api: Api, os_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    store = admin_api.get("/api/admin/secret-store").json()
    assert store["kind"] == "keyring" and store["backend"].endswith("MemoryKeyring")
    assert "answers" in store["reason"]
