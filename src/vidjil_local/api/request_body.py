"""A request's raw body as it arrives, for the routes that store big uploads (sample files,
a worker machine's outputs)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from litestar import Request
from litestar.exceptions import InternalServerException

from vidjil_local.services.samples import uploads


async def body_chunks(request: Request[Any, Any, Any]) -> AsyncIterator[bytes]:
    """The body's chunks; a client gone before the end is `UploadInterrupted` (resumable)."""
    try:
        async for chunk in request.stream():
            yield chunk
    except InternalServerException as error:  # Litestar's "client disconnected prematurely"
        raise uploads.UploadInterrupted(
            "the connection closed before the end of the file: ask the status and resume"
        ) from error
