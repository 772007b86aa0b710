from __future__ import annotations

from pathlib import Path

import pytest

from vidjil_local.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE, main
from vidjil_local.core import is_compiled


def test_version_says_whether_the_core_is_compiled(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == EXIT_OK
    output = capsys.readouterr().out
    assert output.startswith("vidjil-local ")
    assert ("compiled" if is_compiled() else "interpreted") in output


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == EXIT_USAGE
    assert "invalid choice" in capsys.readouterr().err


def test_settings_set_then_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert main([*data, "settings", "set", "max_wrong_passwords", "7"]) == EXIT_OK
    assert main([*data, "settings", "show", "max_wrong_passwords"]) == EXIT_OK
    assert "max_wrong_passwords = 7" in capsys.readouterr().out


def test_settings_set_prints_the_value_as_settings_show_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert main([*data, "settings", "set", "open_browser", "no"]) == EXIT_OK
    assert main([*data, "settings", "set", "allowed_hosts", "a.example, b.example"]) == EXIT_OK
    assert capsys.readouterr().out.splitlines() == [
        "open_browser = false",
        "allowed_hosts = a.example,b.example",
    ]
    assert main([*data, "settings", "show", "open_browser", "allowed_hosts"]) == EXIT_OK
    assert capsys.readouterr().out.splitlines()[1:] == [
        "open_browser = false",
        "allowed_hosts = a.example,b.example",
    ]


def test_secrets_are_never_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert main([*data, "settings", "set", "smtp_credentials", "me:hunter2"]) == EXIT_OK
    assert main([*data, "settings", "show"]) == EXIT_OK
    output = capsys.readouterr().out
    assert "hunter2" not in output
    assert "smtp_credentials = ***" in output
    # taken away: printed empty, not as "***" (which says a password is still set)
    assert main([*data, "settings", "set", "smtp_credentials", ""]) == EXIT_OK
    assert capsys.readouterr().out == "smtp_credentials = \n"


def test_bad_setting_value_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path), "settings", "set", "port", "x"]) == EXIT_USAGE
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "port" in error and "Traceback" not in error


def test_settings_set_repairs_a_value_the_app_no_longer_starts_with(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A port out of range in settings.toml (saved by an earlier version) stops every command
    that reads the settings; `settings set` still writes the fix."""
    (tmp_path / "settings.toml").write_text("port = 70000\nmax_wrong_passwords = 7\n")
    data = ["--data-dir", str(tmp_path)]
    assert main([*data, "settings", "show", "port"]) == EXIT_USAGE
    assert "highest TCP port" in capsys.readouterr().err
    assert main([*data, "settings", "set", "port", "8080"]) == EXIT_OK
    assert main([*data, "settings", "show", "port", "max_wrong_passwords"]) == EXIT_OK
    output = capsys.readouterr().out
    assert "port = 8080" in output and "max_wrong_passwords = 7" in output


def test_set_flag_overrides_for_one_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--data-dir", str(tmp_path), "--set", "port=9999", "settings", "show", "port"]
    assert main(args) == EXIT_OK
    assert "port = 9999" in capsys.readouterr().out
    assert main(["--data-dir", str(tmp_path), "--set", "port", "settings", "show"]) == EXIT_USAGE


def test_migrate_then_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert main([*data, "migrate", "--check"]) == EXIT_ERROR  # pending migrations
    assert main([*data, "migrate"]) == EXIT_OK
    assert main([*data, "migrate", "--check"]) == EXIT_OK
    assert "pending: none" in capsys.readouterr().out


def test_data_error_is_one_line_and_debug_shows_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "settings.toml").write_text("port = [\n")
    assert main(["--data-dir", str(tmp_path), "settings", "show"]) == EXIT_ERROR
    assert "Traceback" not in capsys.readouterr().err
    assert main(["--debug", "--data-dir", str(tmp_path), "settings", "show"]) == EXIT_ERROR
    assert "Traceback" in capsys.readouterr().err
