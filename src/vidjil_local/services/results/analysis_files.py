"""`.analysis` files: the user's layer over a result (names, tags, clusters, sample order)."""

from __future__ import annotations

from typing import Any

from vidjil_local import __version__
from vidjil_local.errors import UsageError
from vidjil_local.results.vidjil import VIDJIL_JSON_VERSION

ANALYSIS_KEYS: dict[str, type] = {
    "vidjil_json_version": str,
    "producer": str,
    "timestamp": str,
    "samples": dict,
    "clones": list,
    "clusters": list,
    "tags": dict,
    "data": dict,
    "report_save": dict,
}


def check_analysis(content: dict[str, Any]) -> dict[str, Any]:
    """A `.analysis` document whose known parts have the right JSON types."""
    for key, kind in ANALYSIS_KEYS.items():
        if key in content and not isinstance(content[key], kind):
            raise UsageError(f"'{key}' of an .analysis must be a JSON {kind.__name__}", key=key)
    for clone in content.get("clones") or []:
        if not isinstance(clone, dict) or not isinstance(clone.get("id"), str):
            raise UsageError("each clone of an .analysis needs a string 'id'")
    return content


def empty_analysis() -> dict[str, Any]:
    return {
        "vidjil_json_version": VIDJIL_JSON_VERSION,
        "producer": f"vidjil-local {__version__}",
        "timestamp": "",
        "samples": {"number": 0, "original_names": [], "order": []},
        "clones": [],
        "clusters": [],
        "tags": {},
    }
