"""Samples and their files: metadata, streamed resumable uploads, downloads, the file source."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody
from litestar.response import File

from vidjil_local.api.context import AppContext
from vidjil_local.api.opened_files import file_answer, open_stored
from vidjil_local.api.params import FileNumber, Id, OptionalOffset, OptionalQueryId, PathId
from vidjil_local.api.request_body import body_chunks
from vidjil_local.services import audit
from vidjil_local.services.authz import Principal
from vidjil_local.services.samples import byte_ranges, file_source, samples, sharing, uploads

# Litestar's default of 10 MB would refuse any real file
MAX_UPLOAD_BYTES = byte_ranges.MAX_FILE_BYTES


class SampleCreate(msgspec.Struct, forbid_unknown_fields=True):
    original_name: str  # the sample's name: its file's, or a pair's (its R1's unless below)
    original_name2: str | None = None  # given for an R1/R2 pair: the R2's name
    original_name1: str | None = None  # a pair's R1's name, when `original_name` is not it
    sampling_date: str | None = None
    info: str = ""
    pcr: str = ""
    sequencer: str = ""
    producer: str = ""


class SampleUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change; absent or null ones stay as they are ("" clears a text or date)."""

    original_name: str | None = None
    original_name2: str | None = None
    sampling_date: str | None = None
    info: str | None = None
    pcr: str | None = None
    sequencer: str | None = None
    producer: str | None = None


class SampleSetLink(msgspec.Struct, forbid_unknown_fields=True):
    set_id: Id


class SourcePick(msgspec.Struct, forbid_unknown_fields=True):
    # Relative to the file source: one sample per file, or (paired) per two, R1 then R2.
    paths: list[str]
    paired: bool = False
    names: list[str] | None = None  # one per sample made: a pair's common name
    sampling_date: str | None = None
    info: str = ""
    pcr: str = ""
    sequencer: str = ""
    producer: str = ""


# The service's dataclass is the response body as it is (Litestar serialises dataclasses).
Sample = samples.Sample


class UploadStatus(msgspec.Struct):
    sample_id: int
    number: int
    received: int  # bytes written so far: resume from there
    complete: bool
    size: int | None
    sha256: str | None
    sample_status: str


class SourceEntry(msgspec.Struct):
    name: str
    path: str
    is_folder: bool
    size: int | None


class SourceListing(msgspec.Struct):
    path: str
    entries: list[SourceEntry]


def _given(data: msgspec.Struct) -> dict[str, Any]:
    return {
        name: value
        for name, value in msgspec.structs.asdict(data).items()
        if value is not None or name == "sampling_date"
    }


class SetSamplesController(Controller):
    path = "/api/sample-sets/{set_id:int}/samples"
    tags = ("samples",)

    @post("/", operation_id="createSample", sync_to_thread=True, status_code=201)
    def create(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        set_id: PathId,
        data: JSONBody[SampleCreate],
    ) -> Sample:
        """A new sample of the set, waiting for its file(s): then PUT them to `/files/{1|2}`."""
        fields = _given(data)
        sample = samples.create(context.database, actor, principal, set_id, fields)
        return sample

    @get("/", operation_id="listSetSamples", sync_to_thread=True)
    def list_samples(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        set_id: PathId,
    ) -> list[Sample]:
        return list(samples.list_in_set(context.database, principal, set_id))

    @post("/from-source", operation_id="linkSourceSamples", sync_to_thread=True, status_code=201)
    def from_source(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        set_id: PathId,
        data: JSONBody[SourcePick],
    ) -> list[Sample]:
        """Samples linked (not copied) to files picked in the file source, checked first."""
        picked = ("paths", "paired", "names")
        fields = {k: v for k, v in _given(data).items() if k not in picked}
        linked = file_source.link(
            context.database,
            context.settings,
            actor,
            principal,
            set_id,
            paths=data.paths,
            paired=data.paired,
            fields=fields,
            names=data.names,
        )
        return linked


class SamplesController(Controller):
    path = "/api/samples"
    tags = ("samples",)

    @get("/{sample_id:int}", operation_id="getSample", sync_to_thread=True)
    def get_sample(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        sample_id: PathId,
    ) -> Sample:
        return samples.get(context.database, principal, sample_id)

    @patch("/{sample_id:int}", operation_id="updateSample", sync_to_thread=True)
    def update(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        sample_id: PathId,
        data: JSONBody[SampleUpdate],
    ) -> Sample:
        values = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not None}
        return samples.update(context.database, actor, principal, sample_id, values)

    @delete("/{sample_id:int}", operation_id="deleteSample", sync_to_thread=True, status_code=200)
    def delete_sample(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        sample_id: PathId,
        set_id: OptionalQueryId = None,
    ) -> Sample:
        """Remove the sample from `set_id` (default: from every set you administer); its files
        are deleted, and the sample marked deleted with its results kept, only when no other
        set holds it."""
        sample = samples.delete(
            context.database, context.settings, actor, principal, sample_id, set_id=set_id
        )
        return sample

    @post(
        "/{sample_id:int}/sets", operation_id="addSampleToSet", sync_to_thread=True, status_code=200
    )
    def add_to_set(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        sample_id: PathId,
        data: JSONBody[SampleSetLink],
    ) -> Sample:
        return sharing.add_to_set(context.database, actor, principal, sample_id, data.set_id)

    @put(
        "/{sample_id:int}/files/{number:int}",
        operation_id="uploadSampleFile",
        request_max_body_size=MAX_UPLOAD_BYTES,
    )
    async def upload(
        self,
        request: Request[Any, Any, Any],
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        sample_id: PathId,
        number: FileNumber,
        offset: OptionalOffset = None,
        sha256: FromQuery[str | None] = None,
    ) -> UploadStatus:
        """The raw bytes of file 1 (or 2 of a pair), appended at `offset` or at the start of a
        `Content-Range: bytes START-END/TOTAL`; the file is checked once complete, and compared
        with `sha256` when the client gives it."""
        received = await uploads.receive(
            context.database,
            context.settings,
            actor,
            principal,
            sample_id,
            number,
            chunks=body_chunks(request),
            byte_range=byte_ranges.parse_range(request.headers.get("content-range"), offset),
            length=request.content_length,
            expected_sha256=sha256,
        )
        return msgspec.convert(received, UploadStatus, from_attributes=True)

    @get(
        "/{sample_id:int}/files/{number:int}/status",
        operation_id="getUploadStatus",
        sync_to_thread=True,
    )
    def upload_status(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        sample_id: PathId,
        number: FileNumber,
    ) -> UploadStatus:
        found = uploads.status(context.database, context.settings, principal, sample_id, number)
        return msgspec.convert(found, UploadStatus, from_attributes=True)

    @get(
        "/{sample_id:int}/files/{number:int}",
        operation_id="downloadSampleFile",
        sync_to_thread=True,
    )
    def download(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        actor: NamedDependency[audit.Actor],
        sample_id: PathId,
        number: FileNumber,
    ) -> File:
        path, name = samples.download(
            context.database, context.settings, actor, principal, sample_id, number=number
        )
        # Opened now: deleting the sample meanwhile does not cut the download. Bytes, not
        # "content-encoding: gzip" (browsers would save a .gz file uncompressed).
        opened = open_stored(path, f"the file of sample {sample_id}")
        return file_answer(opened, name, "application/octet-stream")


class FileSourceController(Controller):
    path = "/api/files"
    tags = ("samples",)

    @get("/source", operation_id="listSourceFiles", sync_to_thread=True)
    def source(
        self,
        context: NamedDependency[AppContext],
        principal: NamedDependency[Principal],
        path: FromQuery[str] = "",
    ) -> SourceListing:
        """Folders and reads files of the configured file source (`file_source` setting)."""
        found = file_source.listing(context.settings, principal, path)
        return msgspec.convert(found, SourceListing, from_attributes=True)
