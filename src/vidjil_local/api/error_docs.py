"""The error answers of every operation, written into the OpenAPI document: each status the
operation can really give, all with the one error envelope (`api/errors.py`), instead of
Litestar's default 400 of another shape. A worker machine's token counts as a login.

The statuses follow from what a handler is: every request can be refused as bad input (400) or
meet a busy database (503); a handler that needs a login adds 401, 403 and 404 (what it names
may not exist, or not for this user); one that changes something adds 403 (CSRF), 409, 413 and
422; uploads and analyses add 507 (disk nearly full); the login adds 429 (too many wrong
passwords), and so do the metrics, read with a password by scrapers.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec

DESCRIPTIONS = {
    400: "Bad input: a parameter or body out of range or of the wrong type, or a Host this "
    "server does not answer to",
    401: "Not logged in, or the login ended",
    403: "The user lacks the right, the CSRF token is missing, or the account is locked",
    404: "No such item (or none this user may see)",
    409: "Conflicts with what is stored (a name taken, a state that does not allow it)",
    413: "The body or the announced file is larger than accepted",
    422: "Well-formed but unacceptable content (a file that is not what it claims, a setting "
    "value out of its range)",
    429: "Too many wrong passwords for the account or from this address: wait (Retry-After)",
    503: "The database or the mail server is unavailable for now",
    507: "The data disk is nearly full",
}
# a user's session, or a worker machine's token (api/workers.py)
LOGIN_DEPENDENCIES = frozenset({"principal", "admin", "actor", "worker"})
CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
NEEDS_DISK = frozenset({"uploadSampleFile", "launchAnalyses", "rerunJob", "importGermline"})
PASSWORD_CHECKS = frozenset({"login", "loginWithCode"})  # wrong password or code: 401
# the session's user or a scraper's basic authorization (api/metrics.py), its password throttled
BASIC_AUTHORIZED = frozenset({"getMetrics", "getMetricsPrometheus"})


class ErrorDetail(msgspec.Struct):
    code: str  # stable, for programs: "not_found", "login_throttled", ...
    message: str  # for people
    details: dict[str, Any]


class ErrorAnswer(msgspec.Struct):
    error: ErrorDetail
    status: int


def error_statuses(handler: HTTPRouteHandler) -> list[int]:
    statuses = {400, 503}
    if LOGIN_DEPENDENCIES & set(handler.parsed_fn_signature.parameters):
        statuses |= {401, 403, 404}
    if CHANGES & set(handler.http_methods):
        statuses |= {403, 409, 413, 422}
    if handler.operation_id in NEEDS_DISK:
        statuses.add(507)
    if handler.operation_id in BASIC_AUTHORIZED:
        statuses |= {401, 403, 429}
    if handler.operation_id in PASSWORD_CHECKS:
        statuses |= {401, 429} if handler.operation_id == "login" else {401}
    return sorted(statuses)


def document_errors(app: Litestar) -> None:
    """Add the error answers to every operation of `app` (before its schema is first built)."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if not isinstance(handler, HTTPRouteHandler) or not handler.include_in_schema:
                continue
            documented = {
                status: ResponseSpec(
                    ErrorAnswer, description=DESCRIPTIONS[status], generate_examples=False
                )
                for status in error_statuses(handler)
            }
            handler.responses = {**documented, **(handler.responses or {})}
