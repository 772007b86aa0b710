"""The records of an archive must hold together before they are imported: every reference points
to a record of the archive, every result and fused result has its files, every file belongs to a
record, and nothing names a place outside the folders it is copied to. An archive whose checksums
match but whose records do not is refused as tampered, not imported half."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from pathlib import PurePosixPath

from vidjil_local.services.exchange import records as r
from vidjil_local.services.exchange.archive import Archive, ArchiveRefused
from vidjil_local.services.exchange.export import sequence_member


def check_consistent(archive: Archive) -> None:
    records = archive.records
    members = {entry.path for entry in archive.manifest.files} - {r.RECORDS}
    problems = [
        *_duplicates(records),
        *_references(records),
        *_result_files(records, members),
        *_sequence_files(records, members, archive.manifest.with_sequences),
    ]
    if problems:
        raise ArchiveRefused(
            "its records do not hold together: " + "; ".join(problems[:5]),
            str(archive.path),
            problems=problems[:50],
        )


def _duplicates(records: r.Records) -> Iterable[str]:
    for table, ids in (
        ("sample_sets", [x.id for x in records.sample_sets]),
        ("samples", [x.id for x in records.samples]),
        ("results", [x.id for x in records.results]),
        ("analyses", [x.id for x in records.analyses]),
        ("configs", [x.id for x in records.configs]),
        ("users", [x.id for x in records.users]),
        ("fused_results", [(x.sample_set_id, x.config_id) for x in records.fused_results]),
        ("set_samples", [(x.sample_set_id, x.sample_id) for x in records.set_samples]),
    ):
        if len(set(ids)) != len(ids):
            yield f"{table} lists a record twice"
    folders = sorted(x.folder for x in records.results)
    if any(b == a or b.startswith(a + "/") for a, b in itertools.pairwise(folders)):
        yield "two results share a folder"


def _references(records: r.Records) -> Iterable[str]:
    sets = {x.id for x in records.sample_sets}
    samples = {x.id for x in records.samples}
    configs = {x.id for x in records.configs}
    results = {x.id for x in records.results}
    users = {x.id for x in records.users}
    for link in records.set_samples:
        if link.sample_set_id not in sets or link.sample_id not in samples:
            yield f"set_samples ({link.sample_set_id}, {link.sample_id}) names a missing record"
    for result in records.results:
        if result.sample_id not in samples or result.config_id not in configs:
            yield f"result {result.id} names a missing sample or config"
    for fused in records.fused_results:
        if fused.sample_set_id not in sets or fused.config_id not in configs:
            yield f"the fused result of set {fused.sample_set_id} names a missing set or config"
        if not set(_ids(fused.result_ids)) <= results:
            yield f"the fused result of set {fused.sample_set_id} names missing results"
    for analysis in records.analyses:
        if analysis.sample_set_id not in sets:
            yield f"analysis {analysis.id} names a missing set"
    named = [x.created_by for x in records.sample_sets] + [x.uploaded_by for x in records.samples]
    named += [x.saved_by for x in records.analyses] + [x.user_id for x in records.audit_log]
    if not {user for user in named if user is not None} <= users:
        yield "a record names a user the archive does not list"


def _ids(raw: str) -> list[int]:
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        return [-1]
    ok = isinstance(value, list) and all(isinstance(x, int) for x in value)
    return value if ok else [-1]


def _relative(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return bool(parts) and not path.startswith("/") and "\\" not in path and ".." not in parts


def _result_files(records: r.Records, members: set[str]) -> Iterable[str]:
    owned: set[str] = set()
    for result in records.results:
        if not _relative(result.folder):
            yield f"result {result.id} has an unsafe folder"
            continue
        mine = {m for m in members if m.startswith(f"results/{result.folder}/")}
        owned |= mine
        vidjil = _summary_file(result.summary)
        if vidjil is None or f"results/{result.folder}/{vidjil}" not in mine:
            yield f"result {result.id} has no .vidjil file in the archive"
    for fused in records.fused_results:
        member = f"results/{fused.path}"
        if not _relative(fused.path) or member not in members:
            yield f"the fused result of set {fused.sample_set_id} has no file in the archive"
        owned.add(member)
    stray = sorted(m for m in members if m.startswith("results/") and m not in owned)
    if stray:
        yield f"files no record names: {', '.join(stray[:3])}"


def _summary_file(summary: str) -> str | None:
    try:
        value = json.loads(summary)
    except json.JSONDecodeError:
        return None
    name = value.get("vidjil") if isinstance(value, dict) else None
    return name if isinstance(name, str) and _relative(name) else None


def _sequence_files(records: r.Records, members: set[str], with_sequences: bool) -> Iterable[str]:
    expected = {
        sequence_member(sample.id, number, stored)
        for sample in records.samples
        for number, stored in ((1, sample.stored_name), (2, sample.stored_name2))
        if stored and with_sequences
    }
    present = {m for m in members if m.startswith("sequences/")}
    if expected - present:
        yield f"sequence files missing: {', '.join(sorted(expected - present)[:3])}"
    if present - expected:
        yield f"sequence files no sample names: {', '.join(sorted(present - expected)[:3])}"
