"""The Backups admin page's API: state, contents, history and backups in the folder; "Back up
now"; the schedule following the settings without restart; failures and missed backups shown;
administrators only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from litestar import Litestar

from tests.conftest import Inbox, local_client
from tests.integration.api.conftest import ADMIN, Api, Lab
from tests.waiting import wait_until
from vidjil_local.api.app import create_app
from vidjil_local.db import Database, migrate
from vidjil_local.services.backups import runs
from vidjil_local.settings import Settings


def overview(api: Api) -> dict[str, Any]:
    answer = api.get("/api/admin/backups")
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def finished_run(api: Api, run_id: int) -> dict[str, Any]:
    def ended() -> dict[str, Any] | None:
        run = next(run for run in overview(api)["runs"] if run["id"] == run_id)
        return run if run["status"] != "running" else None

    return wait_until(ended, timeout=60, what=f"backup run {run_id} did not end")


def test_without_a_folder_nothing_is_scheduled_and_the_page_says_so(admin_api: Api) -> None:
    shown = overview(admin_api)
    assert shown["health"]["state"] == "not_configured" and not shown["health"]["alert"]
    assert shown["health"]["next_run_at"] is None and shown["snapshots"] == []
    excluded = {line["what"] for line in shown["contents"]["excluded"]}
    assert {"Uploaded sequence files", "Secrets", "Login sessions"} <= excluded
    included = {line["what"] for line in shown["contents"]["included"]}
    assert {"The database", "Results", "Imported germline sets", "Settings"} == included
    refused = admin_api.post("/api/admin/backups")
    assert refused.status_code == 400 and "backup_dir" in refused.json()["error"]["message"]


def test_back_up_now_then_the_backup_is_listed(admin_api: Api, tmp_path: Path) -> None:
    folder = tmp_path / "share"
    changed = admin_api.put("/api/admin/settings/backup_dir", json={"value": str(folder)})
    assert changed.status_code == 200 and changed.json()["restart_required"] is False
    shown = overview(admin_api)
    assert shown["health"]["state"] == "never" and shown["health"]["alert"]
    assert shown["health"]["next_run_at"] is not None  # every six hours by default
    started = admin_api.post("/api/admin/backups")
    assert started.status_code == 202, started.text
    run = finished_run(admin_api, started.json()["id"])
    assert run["status"] == "completed" and run["trigger"] == "manual", run
    shown = overview(admin_api)
    [snapshot] = shown["snapshots"]
    assert snapshot["name"] == run["snapshot"] and snapshot["files"] == run["files"]
    assert shown["health"]["state"] == "ok" and not shown["health"]["alert"]
    assert str(folder) in shown["restore_command"]
    [entry] = admin_api.get("/api/audit", params={"action": "run_backup"}).json()["items"]
    assert entry["record_id"] == run["id"]


def test_the_schedule_follows_its_setting(admin_api: Api, tmp_path: Path) -> None:
    admin_api.put("/api/admin/settings/backup_dir", json={"value": str(tmp_path / "share")})
    assert (
        admin_api.put(
            "/api/admin/settings/backup_schedule", json={"value": "30 1 * * *"}
        ).status_code
        == 200
    )
    next_run = datetime.fromisoformat(overview(admin_api)["health"]["next_run_at"])
    assert next_run.astimezone().strftime("%H:%M") == "01:30"
    assert next_run - datetime.now(UTC) <= timedelta(days=1)
    bad = admin_api.put("/api/admin/settings/backup_schedule", json={"value": "at night"})
    assert bad.status_code == 422 and "crontab" in bad.json()["error"]["message"]
    assert (
        admin_api.put("/api/admin/settings/backup_schedule", json={"value": ""}).status_code == 200
    )
    assert overview(admin_api)["health"]["next_run_at"] is None


def test_a_failed_backup_alerts_the_status_page(admin_api: Api, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    admin_api.put("/api/admin/settings/backup_dir", json={"value": str(blocked)})
    run = finished_run(admin_api, admin_api.post("/api/admin/backups").json()["id"])
    assert run["status"] == "failed" and str(blocked) in run["error"]
    state = admin_api.get("/api/admin/backups/health").json()
    assert state["state"] == "failed" and state["alert"] and str(blocked) in state["message"]


def test_a_backup_missed_while_stopped_is_made_up_after_the_start(
    settings: Settings, tmp_path: Path
) -> None:
    database = Database(settings.database_path)
    migrate(database.db())
    run_id = runs.begin(database, trigger=runs.Trigger.SCHEDULE, destination="x", user_id=None)
    two_days_ago = (datetime.now(UTC) - timedelta(days=2)).isoformat(timespec="milliseconds")
    with database.write() as db:
        db.execute(
            "UPDATE backup_runs SET status = 'completed', finished_at = ? WHERE id = ?",
            [two_days_ago, run_id],
        )
    database.close()
    configured = settings.with_values(backup_dir=tmp_path / "share", backup_schedule="0 3 * * *")
    app = create_app(configured)
    with local_client(app) as client:
        api = Api(client)
        assert api.post("/api/auth/setup", json=ADMIN).status_code == 201
        state = api.get("/api/admin/backups/health").json()
        assert state["state"] == "missed" and state["alert"] and "03:00" in state["message"]
        planned = app.state.context.backups.planned()
        assert planned["catch-up"] - datetime.now(UTC) <= timedelta(minutes=1)


def test_backups_are_for_administrators_only(app: Litestar, lab: Lab, admin_api: Api) -> None:
    member = lab.user("ivy@lab.example", lab.group("lab", ("read", "upload", "run", "admin")))
    anonymous = Api(local_client(app))
    for user, status in ((member, 403), (anonymous, 401)):
        assert user.get("/api/admin/backups").status_code == status
        assert user.get("/api/admin/backups/health").status_code == status
        assert user.post("/api/admin/backups").status_code == status


def test_a_backup_left_running_by_a_killed_process_is_reported(
    admin_api: Api, app: Litestar, tmp_path: Path, inbox: tuple[Inbox, int]
) -> None:
    messages, port = inbox
    for name, value in (
        ("smtp_server", f"127.0.0.1:{port}"), ("smtp_from_email", "vidjil@lab.example"),
        ("smtp_tls", False), ("smtp_admin_emails", ["it@lab.example"]),
        ("backup_dir", str(tmp_path / "share")),
    ):  # fmt: skip
        assert (
            admin_api.put(f"/api/admin/settings/{name}", json={"value": value}).status_code == 200
        )
    (tmp_path / "share").mkdir()
    database = app.state.context.database
    killed = runs.begin(
        database, trigger=runs.Trigger.COMMAND, destination=str(tmp_path / "share"), user_id=None
    )
    state = admin_api.get("/api/admin/backups/health").json()
    assert state["state"] == "interrupted" and state["alert"]
    assert state["last_run"]["id"] == killed and "stopped before it finished" in state["message"]
    [message] = wait_until(lambda: messages.messages, timeout=15, what="no e-mail")
    assert message["To"] == "it@lab.example" and message["Subject"] == "[Vidjil] backup interrupted"
    assert admin_api.get("/api/admin/backups/health").json()["state"] == "interrupted"
    assert len(messages.messages) == 1, "announced once"
