"""The fake set API of the browser tests stays true to the real one: it answers the real app's
method and path for each operation it fakes, and those are exactly the operations the results
viewer calls (through the generated client, whose table unit/test_openapi_client.py checks)."""

from __future__ import annotations

import re

from vidjil_local.api.app import create_app
from vidjil_local.settings import Settings

from .conftest import FAKE_OPERATIONS, REPOSITORY

VIEWER = REPOSITORY / "frontend" / "src" / "viewer"
CALL = re.compile(r'\b(?:call|callText|operationUrl)\(\s*"(\w+)"')


def test_the_fake_answers_the_real_methods_and_paths(settings: Settings) -> None:
    schema = create_app(settings, start_jobs=False).openapi_schema.to_schema()
    server = {
        operation["operationId"]: (method.upper(), path)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    }
    for name, endpoint in FAKE_OPERATIONS.items():
        assert server.get(name) == endpoint, f"{name}: fake {endpoint}, server {server.get(name)}"


def test_the_fake_answers_every_call_of_the_results_viewer() -> None:
    called = {
        operation
        for path in VIEWER.rglob("*.ts")
        for operation in CALL.findall(path.read_text(encoding="utf-8"))
    }
    assert called == set(FAKE_OPERATIONS)
