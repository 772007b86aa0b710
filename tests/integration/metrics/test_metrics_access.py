"""Who reads the metrics: the metrics account made at start from its settings (logged in, or a
scraper's basic authorization), the metrics group and administrators; nobody else. The metrics
account sees no set."""

from __future__ import annotations

import base64

import httpx
from litestar.testing import TestClient

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api, Lab
from vidjil_local.api.app import create_app
from vidjil_local.settings import Settings

METRICS_EMAIL = "metrics@lab.example"
METRICS_PASSWORD = "Scrape-pw-2024"


def basic(email: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{email}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def scrape(client: TestClient, email: str, password: str) -> httpx.Response:  # type: ignore[type-arg]
    client.cookies.clear()
    return client.get("/api/metrics/prometheus", headers=basic(email, password))


def with_account(settings: Settings, password: str = METRICS_PASSWORD) -> Settings:
    return settings.with_values(metrics_user_email=METRICS_EMAIL, metrics_user_password=password)


def test_the_metrics_account_reads_metrics_and_nothing_else(settings: Settings) -> None:
    with local_client(create_app(with_account(settings), start_jobs=False)) as client:
        api = Api(client)
        api.post("/api/auth/setup", json=ADMIN)
        api.post("/api/sample-sets", json={"kind": "patient", "id_label": "P-1"})
        api.post("/api/auth/logout")
        assert api.login(METRICS_EMAIL, METRICS_PASSWORD).status_code == 200
        report = api.get("/api/metrics").json()
        counts = {m["name"]: m["values"] for m in report["metrics"]}
        assert counts["set_patients_count"] == [{"labels": {}, "value": 1.0}]
        assert api.get("/api/sample-sets", params={"kind": "patient"}).json()["items"] == []
        refused = api.post("/api/sample-sets", json={"kind": "patient", "id_label": "P-2"})
        assert refused.status_code == 403
        assert api.get("/api/admin/status").status_code == 403
        groups = (
            api.client.app.state.context.database.db()
            .execute(
                "SELECT g.name FROM groups g JOIN memberships m ON m.group_id = g.id "
                "JOIN users u ON u.id = m.user_id WHERE u.email = ?",
                [METRICS_EMAIL],
            )
            .fetchall()
        )
        assert groups == [("metrics",)], "no personal group: no right of its own"


def test_a_scraper_with_basic_authorization(settings: Settings) -> None:
    with local_client(create_app(with_account(settings), start_jobs=False)) as client:
        api = Api(client)
        api.post("/api/auth/setup", json=ADMIN)
        lab = Lab(client.app)
        lab.user("tech@lab.example", lab.group("lab", ("read",)), password="pipette-1234")
        for _ in range(3):
            answer = scrape(client, METRICS_EMAIL, METRICS_PASSWORD)
            assert answer.status_code == 200 and "vidjil_group_count" in answer.text
        database = client.app.state.context.database
        logins = (
            database.db()
            .execute(
                "SELECT count(*) FROM audit_log WHERE action = 'login' AND user_email = ?",
                [METRICS_EMAIL],
            )
            .fetchone()
        )
        assert logins == (1,), "one password check, then remembered for a while"
        assert scrape(client, METRICS_EMAIL, "wrong-password").status_code == 401
        assert scrape(client, "tech@lab.example", "pipette-1234").status_code == 403
        assert scrape(client, ADMIN["email"], ADMIN["password"]).status_code == 200
        client.cookies.clear()
        assert client.get("/api/metrics").status_code == 401
        assert client.get("/api/metrics", headers={"Authorization": "Basic !!"}).status_code == 401


def test_a_lab_user_logged_in_is_refused_and_the_metrics_group_is_enough(
    settings: Settings,
) -> None:
    with local_client(create_app(settings, start_jobs=False)) as client:
        Api(client).post("/api/auth/setup", json=ADMIN)
        lab = Lab(client.app)
        user = lab.user("tech@lab.example", lab.group("lab", ("read", "create")))
        assert user.get("/api/metrics").status_code == 403
        metrics_group = (
            client.app.state.context.database.db()
            .execute("SELECT id FROM groups WHERE name = 'metrics'")
            .fetchone()[0]
        )
        reader = lab.user("grafana@lab.example", metrics_group)
        assert reader.get("/api/metrics", params={"list": "fast"}).status_code == 200


def test_changing_the_password_setting_changes_it_at_the_next_start(settings: Settings) -> None:
    with local_client(create_app(with_account(settings), start_jobs=False)) as client:
        assert scrape(client, METRICS_EMAIL, METRICS_PASSWORD).status_code == 200
    renewed = with_account(settings, "Another-pw-2025")
    with local_client(create_app(renewed, start_jobs=False)) as client:
        assert scrape(client, METRICS_EMAIL, METRICS_PASSWORD).status_code == 401
        assert scrape(client, METRICS_EMAIL, "Another-pw-2025").status_code == 200


def test_a_weak_password_setting_starts_the_app_without_the_account(settings: Settings) -> None:
    with local_client(create_app(with_account(settings, "abc"), start_jobs=False)) as client:
        assert client.get("/api/health").status_code == 200
        users = client.app.state.context.database.db().execute("SELECT count(*) FROM users")
        assert users.fetchone() == (0,)
