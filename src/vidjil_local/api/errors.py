"""The one JSON error envelope, and the one place exceptions become HTTP responses.

Every error answer of the API has the shape
`{"error": {"code": str, "message": str, "details": {...}}, "status": int}`.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException

from vidjil_local.errors import VidjilError
from vidjil_local.services.disk import disk_full, is_disk_full
from vidjil_local.services.notifications import server_errors

log = logging.getLogger(__name__)

CODES_BY_STATUS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    500: "internal",
    503: "unavailable",
}


def error_body(status: int, code: str, message: str, details: dict[str, Any]) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}, "status": status}


def envelope(status: int, code: str, message: str, details: dict[str, Any]) -> Response[Any]:
    retry_after = details.get("retry_after")  # a 429 says when to come back
    return Response(
        error_body(status, code, message, details),
        status_code=status,
        media_type=MediaType.JSON,
        headers={"retry-after": str(retry_after)} if isinstance(retry_after, int) else None,
    )


def known_error(exception: BaseException) -> tuple[int, str, str, dict[str, Any]] | None:
    """Status, code, message and details of an error the API expects; None for a bug."""
    if isinstance(exception, VidjilError):
        return exception.http_status, exception.code, exception.message, exception.details
    if isinstance(exception, ValidationException):
        details = {"errors": exception.extra} if exception.extra else {}
        return 400, "invalid", str(exception.detail), details
    if isinstance(exception, HTTPException):
        status = exception.status_code
        details = exception.extra if isinstance(exception.extra, dict) else {}
        return status, CODES_BY_STATUS.get(status, "error"), str(exception.detail), details
    if isinstance(exception, Exception) and is_disk_full(exception):
        full = disk_full(exception)  # a write found no room: the transaction was rolled back
        return full.http_status, full.code, full.message, full.details
    return None


def status_of(exception: BaseException) -> int:
    """The status `handle_exception` answers for `exception` (for the request log, which sees
    an error raised by a middleware before the answer is sent from further out)."""
    known = known_error(exception)
    return known[0] if known else 500


def handle_exception(request: Request[Any, Any, Any], exception: Exception) -> Response[Any]:
    known = known_error(exception)
    if known:
        status, code, message, details = known
        if not isinstance(exception, (VidjilError, HTTPException)):  # an OSError: disk full
            log.warning("%s %s: disk full: %s", request.method, request.url.path, exception)
        return envelope(status, code, message, details)
    log.exception("internal error on %s %s", request.method, request.url.path)
    _tell_admins(request, exception)
    return envelope(500, "internal", "internal error: see the server log", {})


def _tell_admins(request: Request[Any, Any, Any], exception: Exception) -> None:
    """E-mail the administrators about an unhandled error, from the app's mail thread."""
    try:
        context = request.app.state.context
        sender = context.mail_sender
        if sender is None:
            return
        session = request.scope.get("session")
        user_id = session.get("user_id") if isinstance(session, dict) else None
        sender.alert(
            server_errors.server_error(
                context.settings, method=request.method, path=request.url.path,
                user=f"user {user_id}" if user_id else "", exception=exception,
            )
        )  # fmt: skip
    except Exception:  # the alert is a courtesy: the answer to the request comes first
        log.exception("could not queue the administrators' alert")
