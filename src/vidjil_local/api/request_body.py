"""A request's raw body as it arrives, for the routes that store big uploads (sample files,
a worker machine's outputs, archives of germlines and of exported sets)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
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


async def body_to_file(request: Request[Any, Any, Any], path: Path) -> int:
    """Write the body to `path` (created or emptied) as it arrives, never whole in memory, and
    return its size; the route's `request_max_body_size` bounds it (413 beyond)."""
    received = 0
    async with await anyio.open_file(path, "wb") as handle:
        async for chunk in body_chunks(request):
            received += len(chunk)
            await handle.write(chunk)
    return received
