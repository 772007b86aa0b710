"""The bounds of numbers a request may carry, checked at the edge and shown in the OpenAPI schema.

Every id is a positive integer the browser can hold exactly (at most 2**53 - 1, JavaScript's
`Number.MAX_SAFE_INTEGER`, well inside SQLite's 64-bit integers), and every offset a count of the
same kind, so no number from a request can overflow a query. Out of bounds is a 400 naming the
parameter, before any handler runs.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar.params import PathParameter, QueryParameter

MAX_ID = 2**53 - 1
MAX_PAGE = 1000  # rows or clones in one page

Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]  # in a JSON body
PathId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
QueryId = Annotated[int, QueryParameter(ge=1, le=MAX_ID)]
OptionalQueryId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
Offset = Annotated[int, QueryParameter(ge=0, le=MAX_ID)]
# The version of a set's analysis some edits started from; 0: none was saved then.
BaseVersion = Annotated[int | None, QueryParameter(ge=0, le=MAX_ID)]
OptionalOffset = Annotated[int | None, QueryParameter(ge=0, le=MAX_ID)]
Limit = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE)]
FileNumber = Annotated[int, PathParameter(ge=1, le=2)]  # file 1, or 2 of an R1/R2 pair
SampleIndex = Annotated[int, QueryParameter(ge=0, le=MAX_ID)]  # a sample's place in its set
