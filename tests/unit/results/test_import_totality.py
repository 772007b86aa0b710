"""The readers of results made elsewhere are total: any bytes give a result or an
InputFormatError naming the field (and the line of an AIRR file), never another exception, a hang
or memory out of proportion to the file."""

from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.crafted_imports import (
    AIRR_CASES,
    AIRR_HEADER,
    AIRR_NOT_UTF8,
    AIRR_ROW,
    VALID_VIDJIL,
    VIDJIL_CASES,
    crafted_airr,
    crafted_vidjil,
    deep_vidjil,
)
from vidjil_local.errors import InputFormatError
from vidjil_local.results import import_result

FUZZ = settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def imported(path: Path, content: bytes) -> object:
    path.write_bytes(content)
    return import_result(path)


@pytest.mark.parametrize("case", list(VIDJIL_CASES))
def test_a_crafted_vidjil_file_is_refused_naming_the_field(tmp_path: Path, case: str) -> None:
    with pytest.raises(InputFormatError) as refused:
        imported(tmp_path / "x.vidjil", crafted_vidjil(case))
    assert VIDJIL_CASES[case][1] in refused.value.message, refused.value.message
    assert refused.value.details.get("field") == VIDJIL_CASES[case][1]


def test_a_vidjil_file_nested_100k_deep_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match="deep"):
        imported(tmp_path / "x.vidjil", deep_vidjil())


@pytest.mark.parametrize("case", list(AIRR_CASES))
def test_a_crafted_airr_file_is_refused_naming_the_field(tmp_path: Path, case: str) -> None:
    with pytest.raises(InputFormatError) as refused:
        imported(tmp_path / "x.tsv", crafted_airr(case))
    assert AIRR_CASES[case][1] in refused.value.message, refused.value.message
    assert refused.value.line is not None


def test_an_airr_file_that_is_not_utf8_is_refused_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match="UTF-8"):
        imported(tmp_path / "x.tsv", AIRR_NOT_UTF8)


def test_the_valid_files_still_import(tmp_path: Path) -> None:
    result = imported(tmp_path / "ok.vidjil", VALID_VIDJIL.read_bytes())
    assert result is not None
    airr = imported(tmp_path / "ok.tsv", (AIRR_HEADER + AIRR_ROW.format(count="12")).encode())
    assert airr is not None


FOREIGN = Path(__file__).parents[2] / "data" / "foreign"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("x.vidjil", VALID_VIDJIL.read_bytes()),
        ("x.tsv", (AIRR_HEADER + AIRR_ROW.format(count="12")).encode()),
        ("x.tsv", (FOREIGN / "mixcr.clones.tsv").read_bytes()),
    ],
)
def test_a_file_saved_with_a_utf8_bom_imports_as_without(
    tmp_path: Path, name: str, content: bytes
) -> None:
    # Excel's "Unicode text" and Windows editors start UTF-8 with a BOM: such files were refused
    # as "neither a .vidjil nor an AIRR TSV file".
    plain = import_result(_written(tmp_path / "plain" / name, content))
    with_bom = import_result(_written(tmp_path / "bom" / name, b"\xef\xbb\xbf" + content))
    assert with_bom.clones == plain.clones
    assert [clone.reads for clone in with_bom.clones] == [clone.reads for clone in plain.clones]


def _written(path: Path, content: bytes) -> Path:
    path.parent.mkdir()
    path.write_bytes(content)
    return path


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value[:3]):
            found += _paths(child, (*prefix, index))
    return found


VALID_DOCUMENT = json.loads(VALID_VIDJIL.read_text(encoding="utf-8"))
PATHS = _paths(VALID_DOCUMENT)


@FUZZ
@given(changes=st.lists(st.tuples(st.sampled_from(PATHS), JSON_VALUES), min_size=1, max_size=4))
def test_any_vidjil_document_is_read_or_refused_cleanly(
    tmp_path: Path, changes: list[tuple[tuple[Any, ...], Any]]
) -> None:
    document = copy.deepcopy(VALID_DOCUMENT)
    for path, value in changes:
        target = document
        try:
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this place
    with contextlib.suppress(InputFormatError):
        imported(tmp_path / "fuzz.vidjil", json.dumps(document).encode())


AIRR_CELLS = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\t\n\r"), max_size=12
)


@FUZZ
@given(
    columns=st.lists(
        st.sampled_from(
            ["sequence_id", "sequence", "locus", "junction", "duplicate_count", "v_call", "x"]
        ),
        min_size=1,
        max_size=6,
    ),
    rows=st.lists(st.lists(AIRR_CELLS, max_size=7), max_size=4),
)
def test_any_airr_table_is_read_or_refused_cleanly(
    tmp_path: Path, columns: list[str], rows: list[list[str]]
) -> None:
    lines = ["\t".join(["sequence_id", *columns])] + ["\t".join(row) for row in rows]
    with contextlib.suppress(InputFormatError):
        imported(tmp_path / "fuzz.tsv", ("\n".join(lines) + "\n").encode())
