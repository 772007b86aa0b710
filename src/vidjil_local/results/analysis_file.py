"""`.analysis` files: the user's layer over a result (names, tags, clusters, sample order),
saved by the results viewer. Untrusted JSON: its known parts are checked field by field with
pydantic, and it is kept as sent (unknown keys included), as Vidjil keeps it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vidjil_local import __version__
from vidjil_local.errors import invalid_fields
from vidjil_local.results.vidjil import VIDJIL_JSON_VERSION


class AnalysisClone(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)

    id: str  # the clone's window, as in the `.vidjil` it annotates


class AnalysisFile(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)

    # absent keys take these defaults; a key given must have its JSON type (null is refused)
    vidjil_json_version: str = VIDJIL_JSON_VERSION
    producer: str = ""
    timestamp: str = ""
    samples: dict[str, Any] = Field(default_factory=dict)
    clones: list[AnalysisClone] = Field(default_factory=list)
    clusters: list[Any] = Field(default_factory=list)
    tags: dict[str, Any] = Field(default_factory=dict)
    data: dict[str, Any] = Field(default_factory=dict)
    report_save: dict[str, Any] = Field(default_factory=dict)


def check_analysis(content: dict[str, Any]) -> dict[str, Any]:
    """The `.analysis` document as sent, once its known parts have the right JSON types."""
    try:
        AnalysisFile.model_validate(content)
    except ValidationError as error:
        raise invalid_fields(error, "this .analysis") from None
    return content


def empty_analysis() -> dict[str, Any]:
    """What a set's analysis is before its first save. No `clones` nor `clusters`: settings in an
    `.analysis` override the result's, and here the names, tags and clusters an imported Vidjil
    file gave its clones stay as the result has them."""
    return {
        "vidjil_json_version": VIDJIL_JSON_VERSION,
        "producer": f"vidjil-local {__version__}",
        "timestamp": "",
        "samples": {"number": 0, "original_names": [], "order": []},
        "tags": {},
    }
