from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from vidjil_local.errors import SettingError, SettingsFileError
from vidjil_local.settings import SETTINGS, Settings, resolve_settings, write_setting
from vidjil_local.settings.docs import settings_markdown

ROOT = Path(__file__).resolve().parents[3]


def test_every_setting_is_a_typed_field_and_back() -> None:
    names = {setting.name for setting in SETTINGS}
    field_names = {field.name for field in fields(Settings)} - {"data_dir", "from_command_line"}
    assert names == field_names


def test_defaults(tmp_path: Path) -> None:
    settings = resolve_settings(tmp_path, environ={})
    assert settings.host == "127.0.0.1"
    assert settings.login_expiration == 7200
    assert settings.max_wrong_passwords == 5
    assert settings.two_factor_required is False
    assert settings.smtp_email_subject_start == "[Vidjil]"
    assert settings.sequences_dir == tmp_path.resolve() / "sequences"
    assert settings.worker_count >= 1


def test_precedence_defaults_file_environment_command_line(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text(
        'port = 1111\nlog_level = "warning"\nsmtp_tls = false\n'
    )
    environ = {"VIDJIL_PORT": "2222", "VIDJIL_SMTP_TLS": "yes"}
    settings = resolve_settings(tmp_path, environ=environ, overrides={"port": "3333"})
    assert settings.port == 3333  # command line beats environment and file
    assert settings.smtp_tls is True  # environment beats file
    assert settings.log_level == "warning"  # file beats default
    assert settings.job_max_retries == 2  # default


def test_data_dir_from_environment(tmp_path: Path) -> None:
    settings = resolve_settings(None, environ={"VIDJIL_DATA_DIR": str(tmp_path / "elsewhere")})
    assert settings.data_dir == (tmp_path / "elsewhere").resolve()


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("port", "8080", 8080),
        ("two_factor_required", "on", True),
        ("min_free_disk_percent", "2.5", 2.5),
        ("file_types", "fastq, fa.gz", ("fastq", "fa.gz")),
        ("smtp_admin_emails", "a@lab.org,b@lab.org", ("a@lab.org", "b@lab.org")),
    ],
)
def test_values_are_converted(tmp_path: Path, name: str, raw: str, expected: object) -> None:
    settings = resolve_settings(tmp_path, environ={"VIDJIL_" + name.upper(): raw})
    assert getattr(settings, name) == expected


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("port", "eighty", "not a valid int"),
        ("port", "-1", "below its minimum"),
        ("open_browser", "maybe", "not a valid bool"),
        ("login_expiration", "10", "below its minimum"),
        # values that used to be saved and then stopped the app or disabled a check
        ("port", "70000", "highest TCP port"),
        ("network_port", "65536", "highest TCP port"),
        ("host", "0.0.0.0", "does not serve plain HTTP on 0.0.0.0"),
        ("min_free_disk_percent", "150", "above 100 percent"),
        ("min_free_disk_percent", "nan", "finite number"),
        ("backup_max_mb_per_second", "inf", "finite number"),
        ("smtp_server", "mail.lab.example:99999", "not between 1 and 65535"),
        ("backup_dir", "backups", "not a full path"),
        ("file_source", "runs/miseq", "not a full path"),
        # e-mail typos that would only show as alerts never received
        ("smtp_admin_emails", "a@lab.org;b@lab.org", "not an e-mail address"),
        ("smtp_admin_emails", "a@lab.org,b lab.org", "'b lab.org' is not an e-mail address"),
        ("smtp_from_email", "vidjil.lab.org", "not an e-mail address"),
        ("metrics_user_email", "metrics@", "not an e-mail address"),
        ("desktop_login_email", "Ann <ann@lab.org>", "not an e-mail address"),
        # absurd numbers and control characters: the next start hung, or every e-mail failed
        ("workers_pool", str(10**20), "above its maximum 1024"),
        ("log_file_megabytes", "10001", "above its maximum 10000"),
        ("login_delay_seconds", "901", "above its maximum 900"),
        ("smtp_email_subject_start", "[Lab]\r\nBcc: x@evil.example", r"control character '\\r'"),
        ("allowed_hosts", "vidjil.lab.example,evil\x00.example", "control character"),
        ("sequences_dir", "/data/seq\tuences", "control character"),
    ],
)
def test_bad_values_are_refused(tmp_path: Path, name: str, raw: str, message: str) -> None:
    with pytest.raises(SettingError, match=message):
        resolve_settings(tmp_path, environ={"VIDJIL_" + name.upper(): raw})


def test_unknown_setting_in_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text("workers = 3\n")
    with pytest.raises(SettingsFileError, match="unknown setting"):
        resolve_settings(tmp_path, environ={})


def test_broken_toml_is_refused(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text("port = \n")
    with pytest.raises(SettingsFileError, match="not valid TOML"):
        resolve_settings(tmp_path, environ={})


def test_write_setting_keeps_other_values(tmp_path: Path) -> None:
    write_setting(tmp_path, "port", "4444")
    write_setting(tmp_path, "smtp_admin_emails", "x@lab.org")
    settings = resolve_settings(tmp_path, environ={})
    assert settings.port == 4444
    assert settings.smtp_admin_emails == ("x@lab.org",)
    with pytest.raises(SettingError):
        write_setting(tmp_path, "port", "not a port")
    assert resolve_settings(tmp_path, environ={}).port == 4444


def test_settings_are_frozen(tmp_path: Path) -> None:
    settings = resolve_settings(tmp_path, environ={})
    with pytest.raises(AttributeError):
        settings.port = 1  # type: ignore[misc]


def test_docs_settings_md_is_in_step_with_the_table() -> None:
    documented = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert documented == settings_markdown(), (
        "docs/settings.md is stale: python -m vidjil_local.settings.docs > docs/settings.md"
    )
