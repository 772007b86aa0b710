"""An API client that behaves like the browser client: it GETs first to receive the CSRF cookie
and sends it back in the x-csrftoken header of every state-changing request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import local_client
from vidjil_local.api.app import create_app
from vidjil_local.db import Database
from vidjil_local.services.accounts import members
from vidjil_local.settings import Settings

ADMIN = {"email": "admin@lab.example", "password": "correct horse battery"}


class Api:
    def __init__(self, client: TestClient[Litestar]) -> None:
        self.client = client
        client.get("/api/auth/status")

    def _headers(self) -> dict[str, str]:
        return {"x-csrftoken": self.client.cookies.get("csrftoken") or ""}

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.client.post(url, headers=self._headers(), **kwargs)

    def put(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.client.put(url, headers=self._headers(), **kwargs)

    def patch(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.client.patch(url, headers=self._headers(), **kwargs)

    def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.client.delete(url, headers=self._headers(), **kwargs)

    def login(self, email: str, password: str) -> httpx.Response:
        return self.post("/api/auth/login", json={"email": email, "password": password})


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture
def api(app: Litestar) -> Iterator[Api]:
    with local_client(app) as client:
        yield Api(client)


@pytest.fixture
def admin_api(api: Api) -> Api:
    response = api.post("/api/auth/setup", json=ADMIN)
    assert response.status_code == 201, response.text
    return api


class Lab:
    """Users in groups with chosen rights, each with their own logged-in client."""

    def __init__(self, app: Litestar) -> None:
        self.app = app

    @property
    def database(self) -> Database:
        database: Database = self.app.state.context.database
        return database

    def group(self, name: str, rights: tuple[str, ...]) -> int:
        with self.database.write() as db:
            return members.create_group(db, name, rights=rights)

    def user(self, email: str, *group_ids: int, password: str = "pipette-1234") -> Api:
        with self.database.write() as db:
            user_id = members.create_user(db, email, password)
            db.execute("DELETE FROM memberships WHERE user_id = ?", [user_id])  # no personal rights
            for group_id in group_ids:
                members.add_member(db, user_id, group_id)
        # not entered: the app's lifespan already runs in the `api` fixture's client
        session = Api(local_client(self.app))
        assert session.login(email, password).status_code == 200
        return session


@pytest.fixture
def lab(app: Litestar, admin_api: Api) -> Lab:
    return Lab(app)
