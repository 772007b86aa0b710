"""Config options as an administrator or an imported file gives them: refused with a reason."""

from __future__ import annotations

import math

import pytest

from vidjil_local.errors import UsageError
from vidjil_local.services.analyses.configs import check_options


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_a_number_option_that_is_no_number_is_refused(value: float) -> None:
    # Python's JSON reader gives Infinity and NaN; int() of them raised OverflowError/ValueError.
    with pytest.raises(UsageError, match="'top' must be a number"):
        check_options({"top": value})


@pytest.mark.parametrize(("name", "value"), [("top", 2**53 + 1), ("min_reads", 1e20)])
def test_a_whole_number_option_is_bounded(name: str, value: float) -> None:
    with pytest.raises(UsageError, match="at most 9007199254740992"):
        check_options({name: value})


def test_the_bounds_themselves_are_taken() -> None:
    assert check_options({"top": 2**53, "min_reads": 1, "max_evalue": 1e300}) == {
        "top": 2**53,
        "min_reads": 1,
        "max_evalue": 1e300,
    }
