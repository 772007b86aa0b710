"""The client's endpoint table (frontend/src/api.ts) matches the server's OpenAPI schema: each
operation id exists with the same method and path."""

from __future__ import annotations

import re

from vidjil_local.api.app import create_app
from vidjil_local.settings import Settings

from .conftest import REPOSITORY

ENDPOINT = re.compile(r'(\w+): \{ method: "(\w+)", path: "([^"]+)" \}')


def client_endpoints() -> dict[str, tuple[str, str]]:
    source = (REPOSITORY / "frontend" / "src" / "api.ts").read_text()
    return {name: (method, path) for name, method, path in ENDPOINT.findall(source)}


def test_every_client_endpoint_is_in_the_server_schema(settings: Settings) -> None:
    schema = create_app(settings, start_jobs=False).openapi_schema.to_schema()
    server = {
        operation["operationId"]: (method.upper(), path)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    }
    endpoints = client_endpoints()
    assert endpoints, "no endpoint found in api.ts"
    for name, endpoint in endpoints.items():
        assert server.get(name) == endpoint, f"{name}: client {endpoint}, server {server.get(name)}"
