"""What an exchange archive holds, as pydantic models: the manifest (every file with its size and
SHA-256) and the records of the exported sets. An archive comes from another install, maybe a
newer or a tampered one: every field is checked before anything is written, unknown keys refused.

The row models name the columns an archive carries; `DROPPED` names those it knowingly leaves
behind (they only mean something on the install that wrote them). A test fails when a table gains
a column that is in neither, so a new column is never lost silently."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

FORMAT: Literal["vidjil-local-exchange"] = "vidjil-local-exchange"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
RECORDS = "records.json"


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ArchivedFile(Strict):
    path: str = Field(min_length=1, max_length=400)
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Manifest(Strict):
    format: Literal["vidjil-local-exchange"]
    format_version: int = Field(ge=1)
    app_version: str
    schema_version: int
    created_at: str
    scope: str  # "group haemato", "sets 3, 7": what the exporter asked for
    with_sequences: bool
    files: tuple[ArchivedFile, ...]


class ConfigRecord(Strict):
    id: int
    name: str
    program: str
    germline: str
    options: dict[str, Any]
    description: str = ""


class UserRecord(Strict):
    id: int
    email: str


class SetRecord(Strict):
    id: int
    kind: Literal["patient", "run", "generic"]
    name: str
    first_name: str
    last_name: str
    birth: str | None
    id_label: str
    run_date: str | None
    sequencer: str
    pcr: str
    info: str
    created_by: int | None
    created_at: str
    updated_at: str


class SampleRecord(Strict):
    id: int
    original_name: str
    stored_name: str | None
    original_name2: str | None
    stored_name2: str | None
    original_name1: str | None = None  # a pair's R1's own name (m013); archives before lack it
    size: int
    size2: int | None
    sha256: str | None
    sha256_2: str | None
    network: int
    status: Literal["waiting", "uploading", "ready", "invalid"]
    status_message: str
    sampling_date: str | None
    info: str
    pcr: str
    sequencer: str
    producer: str
    uploaded_by: int | None
    created_at: str


class SetSampleRecord(Strict):
    sample_set_id: int
    sample_id: int
    position: int


class ResultRecord(Strict):
    id: int
    sample_id: int
    config_id: int
    created_at: str
    folder: str
    summary: str


class FusedRecord(Strict):
    sample_set_id: int
    config_id: int
    path: str
    result_ids: str
    updated_at: str


class AnalysisRecord(Strict):
    id: int
    sample_set_id: int
    saved_by: int | None
    saved_at: str
    content: str


class AuditRecord(Strict):
    id: int
    at: str
    user_id: int | None
    user_email: str
    action: str
    table_name: str
    record_id: int | None
    details: str
    client_address: str


class Records(Strict):
    configs: tuple[ConfigRecord, ...]
    users: tuple[UserRecord, ...]
    sample_sets: tuple[SetRecord, ...]
    samples: tuple[SampleRecord, ...]
    set_samples: tuple[SetSampleRecord, ...]
    results: tuple[ResultRecord, ...]
    fused_results: tuple[FusedRecord, ...]
    analyses: tuple[AnalysisRecord, ...]
    audit_log: tuple[AuditRecord, ...]


ROW_MODELS: dict[str, type[Strict]] = {
    "sample_sets": SetRecord,
    "samples": SampleRecord,
    "set_samples": SetSampleRecord,
    "results": ResultRecord,
    "fused_results": FusedRecord,
    "analyses": AnalysisRecord,
    "audit_log": AuditRecord,
}
# Columns meaningful only where they were written: the job that made a result (jobs are not
# exchanged); a new install's rows get their own.
DROPPED: dict[str, frozenset[str]] = {"results": frozenset({"job_id"})}


def columns(table: str) -> list[str]:
    """The columns of `table` an archive carries, in the model's order."""
    return list(ROW_MODELS[table].model_fields)
