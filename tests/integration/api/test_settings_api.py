"""Settings on the admin page: listed with help, source and restart flag; changed with
validation, written to settings.toml, applied without restart where possible, audited without
secret values."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api, Lab
from vidjil_local.api.app import create_app
from vidjil_local.settings import SETTINGS, Settings, resolve_settings


def listed(admin_api: Api) -> dict[str, dict[str, Any]]:
    response = admin_api.get("/api/admin/settings")
    assert response.status_code == 200, response.text
    return {setting["name"]: setting for setting in response.json()}


def change(admin_api: Api, name: str, value: object) -> Any:
    return admin_api.put(f"/api/admin/settings/{name}", json={"value": value})


def stored(settings: Settings) -> dict[str, Any]:
    return tomllib.loads((settings.data_dir / "settings.toml").read_text())


def test_every_setting_is_listed_with_its_help_and_source(admin_api: Api) -> None:
    shown = listed(admin_api)
    assert list(shown) == [setting.name for setting in SETTINGS]
    wrong = shown["max_wrong_passwords"]
    assert wrong["value"] == "5" and wrong["default"] == "5" and wrong["source"] == "default"
    assert wrong["minimum"] == 1 and wrong["restart"] is False and wrong["type"] == "int"
    assert "locked" in wrong["help"] and wrong["env_name"] == "VIDJIL_MAX_WRONG_PASSWORDS"
    assert shown["port"]["restart"] is True and shown["port"]["pending_restart"] is False
    secret = shown["session_secret_key"]
    assert secret["secret"] is True and secret["value"] in ("", "***")


def test_a_changed_max_wrong_passwords_applies_at_the_next_logins(
    lab: Lab, admin_api: Api, settings: Settings
) -> None:
    answer = change(admin_api, "max_wrong_passwords", 2)
    assert answer.status_code == 200, answer.text
    assert answer.json()["restart_required"] is False
    assert answer.json()["setting"]["value"] == "2" and answer.json()["setting"]["source"] == "file"
    assert stored(settings) == {"max_wrong_passwords": 2}
    lab.user("ivy@lab.example")
    client = Api(local_client(lab.app))
    assert client.login("ivy@lab.example", "wrong-guess-1").status_code == 401
    assert client.login("ivy@lab.example", "wrong-guess-2").status_code == 401
    third = client.login("ivy@lab.example", "pipette-1234")  # slowed down after the second
    assert third.status_code == 429 and third.json()["error"]["code"] == "login_throttled"
    [entry] = admin_api.get("/api/audit", params={"action": "change_setting"}).json()["items"]
    assert entry["details"] == {"setting": "max_wrong_passwords", "restart_required": False}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("smtp_credentials", "mailer:s3cret-word"),
        # the admin guide puts Redis's password in it: it was stored and shown in clear
        ("redis_url", "redis://:s3cret-word@lab-server:6379/0"),
    ],
)
def test_a_secret_goes_to_the_secret_store_never_shown_nor_audited(
    app: Litestar, admin_api: Api, settings: Settings, name: str, value: str
) -> None:
    answer = change(admin_api, name, value)
    assert answer.status_code == 200 and "s3cret" not in answer.text
    shown = listed(admin_api)[name]
    if name == "smtp_credentials":  # redis_url applies at the next start
        assert shown["value"] == "***" and shown["source"] == "secret store"
        assert app.state.context.settings.smtp_credentials == value
    else:
        assert shown["pending_restart"] is True
    assert not (settings.data_dir / "settings.toml").exists()
    kept = settings.data_dir / "secrets" / name
    assert kept.read_text() == value
    for url in ("/api/audit.csv", "/api/admin/settings", "/api/admin/secret-store"):
        assert "s3cret" not in admin_api.get(url).text
    assert change(admin_api, name, "").json()["setting"]["value"] == ""
    assert not kept.exists()


def test_a_restart_setting_is_stored_for_the_next_start(app: Litestar, admin_api: Api) -> None:
    answer = change(admin_api, "port", 8123)
    assert answer.status_code == 200 and answer.json()["restart_required"] is True
    port = listed(admin_api)["port"]
    assert port["value"] == "0" and port["pending_restart"] is True and port["source"] == "file"
    assert app.state.context.settings.port == 0
    session_lifetime = change(admin_api, "login_expiration", 600)
    assert session_lifetime.json()["restart_required"] is True, "sessions take it at start"
    assert app.state.context.settings.login_expiration == 7200


def test_a_first_start_with_serve_port_asks_for_no_restart(tmp_path: Path) -> None:
    """`serve --port 18000` on a new data folder: the page said "restart needed" for the port
    (from the command line, shown as "from default") and for the session key made at start."""
    started = resolve_settings(
        tmp_path / "data", environ={}, overrides={"port": 18000, "open_browser": False}
    )
    with local_client(create_app(started, start_jobs=False)) as client:
        admin_api = Api(client)
        assert admin_api.post("/api/auth/setup", json=ADMIN).status_code == 201
        shown = listed(admin_api)
    port, key = shown["port"], shown["session_secret_key"]
    assert port["value"] == "18000" and port["source"] == "command line"
    assert port["pending_restart"] is False
    assert shown["open_browser"]["source"] == "command line"
    assert key["set"] is True and key["value"] == "***" and key["source"] == "secret store"
    assert key["pending_restart"] is False
    assert [name for name, view in shown.items() if view["pending_restart"]] == []


def test_job_limits_reach_the_running_job_system(app: Litestar, admin_api: Api) -> None:
    assert change(admin_api, "job_time_limit", 120).status_code == 200
    assert app.state.context.runtime.settings.job_time_limit == 120
    assert change(admin_api, "file_types", ["fastq", "fq.gz"]).status_code == 200
    assert app.state.context.settings.file_types == ("fastq", "fq.gz")


@pytest.mark.parametrize(
    ("name", "body", "status", "message"),
    [
        ("max_wrong_passwords", {"value": 0}, 422, "below its minimum"),
        ("max_wrong_passwords", {"value": "many"}, 422, "not a valid int"),
        ("open_browser", {"value": "perhaps"}, 422, "true or false"),
        ("log_level", {"value": ["debug"]}, 422, "expected text"),
        ("max_wrong_passwords", {"value": {"n": 3}}, 400, "value"),
        ("max_wrong_passwords", {"value": 3, "why": "x"}, 400, "why"),
        ("max_wrong_password", {"value": 3}, 404, "no setting"),
        # each was saved, then the app did not start (a traceback for the port) or the disk
        # check compared against nan
        ("port", {"value": 70000}, 422, "highest TCP port"),
        ("host", {"value": "0.0.0.0"}, 422, "does not serve plain HTTP"),
        ("min_free_disk_percent", {"value": "nan"}, 422, "finite number"),
        ("min_free_disk_percent", {"value": 150}, 422, "above 100 percent"),
        # saved, then the next start hung, eating memory (10**20 workers), or every e-mail failed
        ("workers_pool", {"value": 10**20}, 422, "above its maximum 1024"),
        ("login_expiration", {"value": 10**20}, 422, "above its maximum"),
        ("smtp_email_subject_start", {"value": "[Lab]\nBcc: x@evil.example"}, 422, "'\\n'"),
        ("smtp_credentials", {"value": "relay:pa\x00ss"}, 422, "control character"),
    ],
)
def test_invalid_changes_are_refused(
    admin_api: Api, settings: Settings, name: str, body: dict[str, Any], status: int, message: str
) -> None:
    response = admin_api.put(f"/api/admin/settings/{name}", json=body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert message in error["message"] + str(error["details"])
    assert not (settings.data_dir / "settings.toml").exists()


def test_two_factor_login_needs_e_mail_set_up_first(admin_api: Api, settings: Settings) -> None:
    """Turned on without e-mail, every password login answered 503 (no code could be sent)."""
    refused = change(admin_api, "two_factor_required", True)
    assert refused.status_code == 422, refused.text
    assert "smtp_server and smtp_from_email" in refused.json()["error"]["message"]
    assert not (settings.data_dir / "settings.toml").exists()
    assert change(admin_api, "smtp_server", "127.0.0.1:2525").status_code == 200
    assert change(admin_api, "smtp_from_email", "vidjil@lab.example").status_code == 200
    assert change(admin_api, "two_factor_required", True).status_code == 200
    # and e-mail cannot be taken away while two-factor login needs it
    assert change(admin_api, "smtp_server", "").status_code == 422
    assert listed(admin_api)["smtp_server"]["value"] == "127.0.0.1:2525"
    assert change(admin_api, "two_factor_required", False).status_code == 200
    assert change(admin_api, "smtp_server", "").status_code == 200


def test_a_setting_pinned_by_the_environment_is_refused(
    admin_api: Api, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VIDJIL_LOGIN_EXPIRATION", "3600")
    assert listed(admin_api)["login_expiration"]["source"] == "environment"
    refused = change(admin_api, "login_expiration", 600)
    assert refused.status_code == 409
    assert "VIDJIL_LOGIN_EXPIRATION" in refused.json()["error"]["message"]
    assert not (settings.data_dir / "settings.toml").exists()
