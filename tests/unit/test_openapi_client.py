"""The client's API types are generated from the server: the committed schema
(frontend/src/api/openapi.json) must be the server's current one, and the committed types
(schema.d.ts) what the generator makes of it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[2]
GENERATOR = REPOSITORY / "frontend" / "scripts" / "generate_api.py"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_api", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def changed_operations(committed: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """Paths and schemas that differ, to say where the drift is."""
    changed = []
    for section, items in (("paths", "paths"), ("schemas", "components")):
        old = committed.get(items, {})
        new = current.get(items, {})
        if section == "schemas":
            old, new = old.get("schemas", {}), new.get("schemas", {})
        changed += [
            f"{section} {name}"
            for name in sorted(set(old) | set(new))
            if old.get(name) != new.get(name)
        ]
    return changed


def test_committed_openapi_schema_is_the_servers() -> None:
    generator = load_generator()
    current = generator.server_schema()
    committed = json.loads(generator.SCHEMA_JSON.read_text())
    assert committed == current, (
        f"frontend/src/api/openapi.json is not the server's schema "
        f"({', '.join(changed_operations(committed, current)) or 'other fields'} differ): "
        f"run `{generator.COMMAND}`, then `cd frontend && npm run build`"
    )


def test_committed_types_are_generated_from_the_schema() -> None:
    generator = load_generator()
    committed = json.loads(generator.SCHEMA_JSON.read_text())
    assert generator.SCHEMA_TYPES.read_text() == generator.render_types(committed), (
        f"frontend/src/api/schema.d.ts is stale: run `{generator.COMMAND}`"
    )
    assert generator.OPERATIONS_TABLE.read_text() == generator.render_operations(committed), (
        f"frontend/src/api/operations.ts is stale: run `{generator.COMMAND}`"
    )


def test_generated_types_cover_every_operation_and_nullable_field() -> None:
    generator = load_generator()
    schema = {
        "paths": {
            "/api/things/{thing_id}": {
                "patch": {
                    "operationId": "updateThing",
                    "parameters": [
                        {
                            "name": "thing_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        },
                        {"name": "dry", "in": "query", "schema": {"type": "boolean"}},
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/T"}}
                        }
                    },
                    "responses": {"200": {"content": {"text/csv": {}}}},
                }
            }
        },
        "components": {
            "schemas": {
                "T": {
                    "type": "object",
                    "properties": {
                        "name": {"oneOf": [{"type": "string"}, {"type": "null"}]},
                        "tags": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["tags"],
                }
            }
        },
    }
    text = generator.render_types(schema)
    assert "export type T = {\n  name?: string | null;\n  tags: string[];\n};" in text
    assert 'updateThing: {\n    method: "PATCH";\n    path: "/api/things/{thing_id}";' in text
    assert "thing_id: number;" in text and "dry?: boolean;" in text
    assert "body: T;" in text and "answer: string;" in text
