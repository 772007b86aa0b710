"""Writes the server's OpenAPI schema to frontend/src/api/openapi.json and TypeScript types for it
to frontend/src/api/schema.d.ts: one interface per component schema, and `Operations`, which gives
each operation id its method, path, parameters, body and JSON answer.

Run from the repository root: `PYTHONPATH=src .venv/bin/python frontend/scripts/generate_api.py`.
(openapi-typescript needs TypeScript 5's compiler API, which the TypeScript 7 of this client does
not have; the schema here uses a small subset of JSON Schema, so a short generator covers it.)"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[2]
API_DIR = REPOSITORY / "frontend" / "src" / "api"
SCHEMA_JSON = API_DIR / "openapi.json"
SCHEMA_TYPES = API_DIR / "schema.d.ts"
OPERATIONS_TABLE = API_DIR / "operations.ts"
COMMAND = "PYTHONPATH=src .venv/bin/python frontend/scripts/generate_api.py"
HEADER = f"// Generated from openapi.json by `{COMMAND}`: do not edit.\n"
METHODS = ("get", "post", "put", "patch", "delete")


def server_schema() -> dict[str, Any]:
    """The schema of the app as `create_app` builds it, on a throwaway data dir."""
    from vidjil_local.api.app import create_app
    from vidjil_local.settings import resolve_settings

    with tempfile.TemporaryDirectory() as data_dir:
        settings = resolve_settings(Path(data_dir), environ={}, overrides={})
        schema: dict[str, Any] = create_app(settings, start_jobs=False).openapi_schema.to_schema()
    return schema


def schema_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def ts_type(schema: dict[str, Any], indent: str = "") -> str:
    """The TypeScript type of one JSON Schema node."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "oneOf" in schema or "anyOf" in schema:
        choices: list[dict[str, Any]] = schema.get("oneOf") or schema.get("anyOf") or []
        options = [ts_type(option, indent) for option in choices]
        return " | ".join(dict.fromkeys(options))
    if "enum" in schema:
        return " | ".join(json.dumps(value) for value in schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return " | ".join(ts_type({**schema, "type": one}, indent) for one in kind)
    if kind == "array":
        item = ts_type(schema.get("items", {}), indent)
        return f"({item})[]" if " | " in item else f"{item}[]"
    if kind == "object" or "properties" in schema:
        return object_type(schema, indent)
    return {
        "string": "string",
        "integer": "number",
        "number": "number",
        "boolean": "boolean",
        "null": "null",
    }.get(str(kind), "unknown")


def object_type(schema: dict[str, Any], indent: str) -> str:
    properties: dict[str, Any] = schema.get("properties", {})
    extra = schema.get("additionalProperties")
    if not properties:
        if isinstance(extra, dict):
            return f"Record<string, {ts_type(extra, indent)}>"
        return "Record<string, unknown>"
    required = set(schema.get("required", []))
    inner = indent + "  "
    lines = [
        f"{inner}{name}{'' if name in required else '?'}: {ts_type(value, inner)};"
        for name, value in properties.items()
    ]
    return "{\n" + "\n".join(lines) + f"\n{indent}}}"


def parameters_type(parameters: list[dict[str, Any]], where: str, indent: str) -> str:
    chosen = [parameter for parameter in parameters if parameter.get("in") == where]
    if not chosen:
        return "Record<string, never>"
    properties = {parameter["name"]: parameter.get("schema", {}) for parameter in chosen}
    required = [parameter["name"] for parameter in chosen if parameter.get("required")]
    return object_type({"properties": properties, "required": required}, indent)


def json_schema_of(content: dict[str, Any] | None) -> dict[str, Any] | None:
    if not content or "application/json" not in content:
        return None
    found: dict[str, Any] = content["application/json"].get("schema", {})
    return found


def answer_type(responses: dict[str, Any], indent: str) -> str:
    """The JSON answer of the first success status, `string` for text and files."""
    for status, response in sorted(responses.items()):
        if status.startswith("2"):
            schema = json_schema_of(response.get("content"))
            if schema is not None:
                return ts_type(schema, indent)
            return "string" if response.get("content") else "null"
    return "unknown"


def render_types(schema: dict[str, Any]) -> str:
    parts = [HEADER]
    for name, component in schema.get("components", {}).get("schemas", {}).items():
        parts.append(f"\nexport type {name} = {ts_type(component)};\n")
    parts.append(
        "\n/** Each operation id: its method, path, parameters, JSON body and answer. */\n"
    )
    parts.append("export interface Operations {\n")
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            parameters = operation.get("parameters", [])
            body = json_schema_of(operation.get("requestBody", {}).get("content"))
            indent = "    "
            parts.append(f"  {operation['operationId']}: {{\n")
            parts.append(f'    method: "{method.upper()}";\n    path: "{path}";\n')
            parts.append(f"    path_parameters: {parameters_type(parameters, 'path', indent)};\n")
            parts.append(f"    query: {parameters_type(parameters, 'query', indent)};\n")
            parts.append(f"    body: {'never' if body is None else ts_type(body, indent)};\n")
            parts.append(f"    answer: {answer_type(operation.get('responses', {}), indent)};\n")
            parts.append("  };\n")
    parts.append("}\n")
    return "".join(parts)


def render_operations(schema: dict[str, Any]) -> str:
    """The run-time table the client needs: each operation id's method and path."""
    lines = [HEADER, 'import type { Operations } from "./schema";\n\n']
    lines.append("export const OPERATIONS: {\n")
    lines.append('  [K in keyof Operations]: Pick<Operations[K], "method" | "path">;\n} = {\n')
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if isinstance(operation, dict) and "operationId" in operation:
                entry = f'{{ method: "{method.upper()}", path: "{path}" }}'
                lines.append(f"  {operation['operationId']}: {entry},\n")
    lines.append("};\n")
    return "".join(lines)


def main() -> int:
    schema = server_schema()
    SCHEMA_JSON.write_text(schema_text(schema))
    SCHEMA_TYPES.write_text(render_types(schema))
    OPERATIONS_TABLE.write_text(render_operations(schema))
    # Prettier lays JSON arrays out its own way; the check of the schema compares parsed JSON.
    prettier = REPOSITORY / "frontend" / "node_modules" / ".bin" / "prettier"
    if prettier.exists():
        subprocess.run(
            [str(prettier), "--log-level", "warn", "--write", str(SCHEMA_JSON)], check=True
        )
    print(f"wrote {SCHEMA_JSON.relative_to(REPOSITORY)} and {SCHEMA_TYPES.relative_to(REPOSITORY)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
