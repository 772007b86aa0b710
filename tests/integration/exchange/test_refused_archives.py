"""A damaged, tampered or foreign archive is refused with a clear message before anything is
written; an import that fails half-way leaves neither rows nor files behind."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.integration.exchange.conftest import Install, Source

# real analyses and fuses in the shared workload (module fixture) or a fuse to wait for
pytestmark = pytest.mark.slow

Members = dict[str, bytes]
TABLES = ("sample_sets", "samples", "results", "fused_results", "analyses", "audit_log")


def members_of(archive: Path) -> Members:
    with zipfile.ZipFile(archive) as opened:
        return {name: opened.read(name) for name in opened.namelist()}


def write(path: Path, members: Members) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def resealed(members: Members) -> Members:
    """The members with a manifest rewritten to match them: tampering that checksums alone do
    not see."""
    manifest = json.loads(members["manifest.json"])
    manifest["files"] = [
        {"path": name, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
        for name, content in members.items() if name != "manifest.json"
    ]  # fmt: skip
    return {**members, "manifest.json": json.dumps(manifest).encode()}


def a_result_file(members: Members) -> str:
    return next(name for name in members if name.endswith(".tsv"))


def changed_byte(m: Members) -> Members:
    name = a_result_file(m)
    return {**m, name: m[name][:-2] + b"X" + m[name][-1:]}


def extra_member(m: Members) -> Members:
    return {**m, "results/1/9/extra.vidjil": b"{}"}


def missing_member(m: Members) -> Members:
    return {k: v for k, v in m.items() if k != a_result_file(m)}


def consistent_records_lie(m: Members) -> Members:
    records = json.loads(m["records.json"])
    records["results"][0]["sample_id"] = 999
    return resealed({**m, "records.json": json.dumps(records).encode()})


def unsafe_name(m: Members) -> Members:
    return resealed({**m, "results/../../outside.txt": b"x"})


def newer_format(m: Members) -> Members:
    manifest = json.loads(m["manifest.json"])
    return {**m, "manifest.json": json.dumps({**manifest, "format_version": 99}).encode()}


def no_manifest(m: Members) -> Members:
    return {k: v for k, v in m.items() if k != "manifest.json"}


def stray_file(m: Members) -> Members:
    return resealed({**m, "results/1/9/stray.vidjil": b"{}"})


CASES: list[tuple[Callable[[Members], Members], str]] = [
    (changed_byte, "is damaged or was changed"),
    (extra_member, "members differ from its manifest"),
    (missing_member, "members differ from its manifest"),
    (consistent_records_lie, "records do not hold together"),
    (unsafe_name, "unsafe member name"),
    (newer_format, "written by a newer vidjil-local"),
    (no_manifest, "not a vidjil-local exchange archive"),
    (stray_file, "files no record names"),
]


@pytest.mark.parametrize(("tamper", "message"), CASES, ids=[c[0].__name__ for c in CASES])
def test_tampered_archive_is_refused(
    source: Source,
    untouched_install: Install,
    tmp_path: Path,
    capsys: Any,
    tamper: Callable[[Members], Members],
    message: str,
) -> None:
    target = untouched_install
    before = {table: target.count(table) for table in TABLES}
    archive = write(tmp_path / "tampered.zip", tamper(members_of(source.archive)))
    assert target.cli("import", str(archive), "--group", "haemato-b") == 1
    assert message in capsys.readouterr().err
    assert_nothing_written(target, before)


def test_truncated_archive_is_refused(
    source: Source, untouched_install: Install, tmp_path: Path, capsys: Any
) -> None:
    target = untouched_install
    before = {table: target.count(table) for table in TABLES}
    content = source.archive.read_bytes()
    archive = tmp_path / "cut.zip"
    archive.write_bytes(content[: len(content) // 2])
    assert target.cli("import", str(archive), "--group", "haemato-b") == 1
    assert "not a readable zip archive" in capsys.readouterr().err
    assert_nothing_written(target, before)


def test_fingerprint_catches_a_resealed_archive(
    source: Source, new_install: Callable[[], Install], tmp_path: Path, capsys: Any
) -> None:
    target = new_install()
    original = hashlib.sha256(members_of(source.archive)["manifest.json"]).hexdigest()
    members = members_of(source.archive)
    name = a_result_file(members)
    archive = write(tmp_path / "resealed.zip", resealed({**members, name: b"forged\n"}))
    command = ("import", str(archive), "--group", "haemato-b", "--fingerprint", original)
    assert target.cli(*command) == 1
    assert "not the expected one" in capsys.readouterr().err
    honest = ("import", str(source.archive), "--group", "haemato-b", "--fingerprint", original)
    assert target.cli(*honest) == 0


def test_failure_half_way_leaves_no_rows_and_no_files(
    source: Source, new_install: Callable[[], Install], capsys: Any
) -> None:
    target = new_install()
    before = {table: target.count(table) for table in TABLES}
    records = json.loads(members_of(source.archive)["records.json"])
    last = records["results"][-1]  # its files are placed after the other results' files
    new_sample_id = [sample["id"] for sample in records["samples"]].index(last["sample_id"]) + 1
    in_the_way = target.settings.results_dir / str(new_sample_id) / f"imported-{last['id']}"
    in_the_way.mkdir(parents=True)
    (in_the_way / json.loads(last["summary"])["vidjil"]).write_bytes(b"already here")
    assert target.cli("import", str(source.archive), "--group", "haemato-b") == 2
    assert "already exists: it will not be overwritten" in capsys.readouterr().err
    assert_nothing_written(target, before)
    files = [p for p in target.settings.results_dir.rglob("*") if p.is_file()]
    assert [p.read_bytes() for p in files] == [b"already here"]


def assert_nothing_written(target: Install, before: dict[str, int]) -> None:
    assert {table: target.count(table) for table in TABLES} == before
    assert not list(target.settings.data_dir.glob(".exchange-*")), "staging folder left behind"
    placed = [p for p in target.settings.results_dir.rglob("*") if p.is_file()]
    assert all(p.read_bytes() == b"already here" for p in placed)
