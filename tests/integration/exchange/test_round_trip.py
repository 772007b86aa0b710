"""Export -> import into a second data folder reproduces the sets, samples, results, fused results,
`.analysis` versions and audit rows, files byte for byte; the imported sets open in the second
install's API; with `--sequences` the reads come along and can be analysed again there."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import local_client
from tests.integration.api.conftest import Api
from tests.integration.exchange.conftest import ALICE, Install, Source
from tests.integration.metrics.test_metrics import launch_and_wait
from vidjil_local.services.exchange import records as r

# real analyses and fuses in the shared workload (module fixture) or a fuse to wait for
pytestmark = pytest.mark.slow

SET_FIELDS = [c for c in r.columns("sample_sets") if c not in ("id", "created_by")]
SAMPLE_FIELDS = [c for c in r.columns("samples") if c not in ("id", "uploaded_by")]


def rows(install: Install, query: str, *params: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in install.database.db().query(query, list(params))]


def imported_sets(target: Install) -> dict[int, int]:
    """Archived set id -> new set id, from the audit rows the import wrote."""
    entries = rows(target, "SELECT record_id, details FROM audit_log WHERE action = 'imported'")
    return {json.loads(e["details"])["archived_id"]: e["record_id"] for e in entries}


def test_round_trip_reproduces_sets_results_and_analyses(
    source: Source, new_install: Callable[[], Install]
) -> None:
    target = new_install()
    assert target.cli("import", str(source.archive), "--group", "haemato-b") == 0
    mapping = imported_sets(target)
    assert sorted(mapping) == [source.patient, source.run]
    alice = rows(target, "SELECT id FROM users WHERE email = ?", ALICE)[0]["id"]
    for old, new in mapping.items():
        before = rows(source, "SELECT * FROM sample_sets WHERE id = ?", old)[0]
        after = rows(target, "SELECT * FROM sample_sets WHERE id = ?", new)[0]
        assert {k: after[k] for k in SET_FIELDS} == {k: before[k] for k in SET_FIELDS}
        assert after["created_by"] == alice  # matched by e-mail
        assert set_samples(target, new) == set_samples(source, old)
        assert results_of(target, new) == results_of(source, old)
        assert fused_of(target, new) == fused_of(source, old)
        assert analyses_of(target, new) == analyses_of(source, old)
        assert audit_of(target, new) == audit_of(source, old)
        group = rows(target, "SELECT g.name FROM set_access a JOIN groups g ON g.id = a.group_id "
                             "WHERE a.sample_set_id = ?", new)  # fmt: skip
        assert group == [{"name": "haemato-b"}]
    samples = rows(target, "SELECT status, stored_name, status_message FROM samples")
    assert all(s["stored_name"] is None and s["status"] == "waiting" for s in samples)
    assert target.count("samples") == 2 and target.count("results") == 3
    assert target.count("analyses") == source.count("analyses") == 1


def test_imported_sets_open_in_the_new_install(
    source: Source, new_install: Callable[[], Install]
) -> None:
    target = new_install()
    assert target.cli("import", str(source.archive), "--group", "haemato-b") == 0
    patient = imported_sets(target)[source.patient]
    for config_id in (2, import_config(target)):
        url = f"/api/sample-sets/{{}}/results?config_id={config_id}"
        response = target.admin.get(url.format(patient))
        assert response.status_code == 200, response.text
        assert response.content == source.admin.get(url.format(source.patient)).content
    analysis = target.admin.get(f"/api/sample-sets/{patient}/analysis")
    assert analysis.json() == source.admin.get(f"/api/sample-sets/{source.patient}/analysis").json()
    clones = target.admin.get(f"/api/sample-sets/{patient}/clones?config_id=2").json()
    assert (
        clones == source.admin.get(f"/api/sample-sets/{source.patient}/clones?config_id=2").json()
    )


def test_sequences_come_along_and_analyse_again(
    source: Source, new_install: Callable[[], Install]
) -> None:
    target = new_install()
    assert target.cli("import", str(source.with_sequences), "--group", "haemato-b") == 0
    patient = imported_sets(target)[source.patient]
    for sample in rows(target, "SELECT * FROM samples"):
        original = rows(source, "SELECT * FROM samples WHERE sha256 = ?", sample["sha256"])[0]
        assert sample["status"] == "ready"
        stored = (target.settings.sequences_dir / sample["stored_name"]).read_bytes()
        assert stored == (source.settings.sequences_dir / original["stored_name"]).read_bytes()
    fastq = rows(target, "SELECT id FROM samples WHERE original_name = 'diagnosis.fastq'")[0]
    launch_and_wait(target.admin, patient, 2, [fastq["id"]])
    latest = rows(target, "SELECT summary FROM results WHERE sample_id = ? ORDER BY id DESC",
                  fastq["id"])[0]  # fmt: skip
    first = rows(source, "SELECT summary FROM results WHERE config_id = 2 ORDER BY id")[0]
    assert json.loads(latest["summary"]) == json.loads(first["summary"])


def test_config_mapping(source: Source, new_install: Callable[[], Install], capsys: Any) -> None:
    target = new_install()
    with target.database.write() as db:
        db.execute("UPDATE configs SET name = 'IGH (lab)' WHERE id = 2")
    before = target.count("sample_sets")
    assert target.cli("import", str(source.archive), "--group", "haemato-b") == 2
    assert "config 2 'IGH' (vidjil-local, human:IGH)" in capsys.readouterr().err
    assert target.cli("import", str(source.archive), "--group", "haemato-b", "--check") == 1
    assert "NOT MAPPED" in capsys.readouterr().out
    assert target.count("sample_sets") == before
    mapped = ("import", str(source.archive), "--group", "haemato-b", "--config", "IGH=IGH (lab)")
    assert target.cli(*mapped) == 0
    assert {row["config_id"] for row in rows(target, "SELECT config_id FROM results")} == {
        2, import_config(target)
    }  # fmt: skip


def import_config(install: Install) -> int:
    return int(rows(install, "SELECT id FROM configs WHERE program = 'import'")[0]["id"])


# -- one set's records, with ids replaced by what they name -------------------------------------
def set_samples(install: Install, set_id: int) -> list[tuple[Any, ...]]:
    found = rows(install, "SELECT s.*, ss.position FROM set_samples ss JOIN samples s ON "
                          "s.id = ss.sample_id WHERE ss.sample_set_id = ? ORDER BY ss.position, "
                          "s.id", set_id)  # fmt: skip
    return [(row["position"], *(row[k] for k in SAMPLE_FIELDS if not k.startswith(("stored",
             "status", "network")))) for row in found]  # fmt: skip


def results_of(install: Install, set_id: int) -> list[tuple[Any, ...]]:
    found = rows(install, "SELECT r.*, s.sha256, c.name AS config FROM results r JOIN samples s "
                          "ON s.id = r.sample_id JOIN configs c ON c.id = r.config_id WHERE "
                          "r.sample_id IN (SELECT sample_id FROM set_samples WHERE sample_set_id "
                          "= ?) ORDER BY r.id", set_id)  # fmt: skip
    return [(row["sha256"], row["config"], row["created_at"], row["summary"],
             folder_files(install.settings.results_dir / row["folder"]))
            for row in found]  # fmt: skip


def folder_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}  # fmt: skip


def fused_of(install: Install, set_id: int) -> list[tuple[Any, ...]]:
    found = rows(
        install,
        "SELECT f.*, c.name AS config FROM fused_results f JOIN configs c ON "
        "c.id = f.config_id WHERE sample_set_id = ? ORDER BY c.name",
        set_id,
    )
    out = []
    for row in found:
        made_of = [rows(install, "SELECT r.created_at, s.sha256 FROM results r JOIN samples s ON "
                                 "s.id = r.sample_id WHERE r.id = ?", i)[0]
                   for i in json.loads(row["result_ids"])]  # fmt: skip
        content = (install.settings.results_dir / row["path"]).read_bytes()
        out.append((row["config"], row["updated_at"], made_of, content))
    return out


def analyses_of(install: Install, set_id: int) -> list[tuple[Any, ...]]:
    found = rows(
        install,
        "SELECT a.saved_at, a.content, u.email FROM analyses a LEFT JOIN users "
        "u ON u.id = a.saved_by WHERE sample_set_id = ? ORDER BY a.id",
        set_id,
    )
    return [tuple(row.values()) for row in found]


def audit_of(install: Install, set_id: int) -> list[tuple[Any, ...]]:
    found = rows(install, "SELECT at, user_email, action, details, client_address FROM audit_log "
                          "WHERE table_name = 'sample_sets' AND record_id = ? AND action != "
                          "'imported' ORDER BY id", set_id)  # fmt: skip
    assert found
    return [tuple(row.values()) for row in found]


def test_export_and_import_through_the_admin_api(
    source: Source, new_install: Callable[[], Install]
) -> None:
    """The administration page's calls: an export to download, its upload checked whole and
    shown (manifest, sets, config mapping), the import refused while a config is unmapped or the
    fingerprint differs, then done; the upload is not kept afterwards."""
    written = source.admin.post(
        "/api/admin/exchange/exports", json={"set_ids": [source.patient], "with_sequences": False}
    )
    assert written.status_code == 201, written.text
    done = written.json()
    assert (done["sets"], done["samples"], done["results"]) == (1, 2, 3)
    download = source.admin.get(f"/api/admin/exchange/exports/{done['token']}")
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    assert done["file_name"] in download.headers["content-disposition"]
    assert done["file_name"].startswith(f"vidjil-local-sets-{source.patient}-")
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        manifest = archive.read(r.MANIFEST)
    assert hashlib.sha256(manifest).hexdigest() == done["fingerprint"]

    target = new_install()
    with target.database.write() as db:
        db.execute("UPDATE configs SET name = 'IGH (lab)' WHERE id = 2")
    shown = target.admin.post("/api/admin/exchange/imports", content=download.content)
    assert shown.status_code == 201, shown.text
    preview = shown.json()
    assert preview["fingerprint"] == done["fingerprint"] and preview["with_sequences"] is False
    assert [(s["id"], s["kind"], s["samples"]) for s in preview["sets"]] == [
        (source.patient, "patient", 2)
    ]
    mapped = {c["name"]: c["local_id"] for c in preview["configs"]}
    assert mapped == {"IGH": None, "import": import_config(target)}
    url = f"/api/admin/exchange/imports/{preview['token']}"
    unmapped = target.admin.post(url, json={"group": "haemato-b"})
    assert unmapped.status_code == 400 and "config 2 'IGH'" in unmapped.json()["error"]["message"]
    wrong = target.admin.post(url, json={"group": "haemato-b", "configs": {"2": "IGH (lab)"},
                                         "fingerprint": "0" * 64})  # fmt: skip
    assert wrong.status_code == 422 and "fingerprint" in wrong.json()["error"]["message"]
    assert target.count("sample_sets") == 0
    imported = target.admin.post(url, json={"group": "haemato-b", "configs": {"2": "2"},
                                            "fingerprint": done["fingerprint"]})  # fmt: skip
    assert imported.status_code == 201, imported.text
    result = imported.json()
    assert result["group_name"] == "haemato-b" and result["results"] == 3
    assert list(result["set_ids"]) == [str(source.patient)]
    assert imported_sets(target) == {source.patient: result["set_ids"][str(source.patient)]}
    assert target.admin.post(url, json={"group": "haemato-b"}).status_code == 404, "not kept"


def test_a_tampered_upload_is_refused_and_not_kept(
    source: Source, new_install: Callable[[], Install]
) -> None:
    target = new_install()
    content = bytearray(source.archive.read_bytes())
    with zipfile.ZipFile(source.archive) as archive:
        member = next(info for info in archive.infolist() if info.filename.endswith(".tsv"))
    content[member.header_offset + 100] ^= 0xFF  # a byte inside a stored result file
    refused = target.admin.post("/api/admin/exchange/imports", content=bytes(content))
    assert refused.status_code == 422, refused.text
    assert "is damaged or was changed" in refused.json()["error"]["message"]
    assert list((target.settings.data_dir / "exchange" / "imports").iterdir()) == []
    assert target.count("sample_sets") == 0
    alice = Api(local_client(target.admin.client.app))  # a member, not an administrator
    assert alice.login(ALICE, "pipette-1234").status_code == 200
    assert alice.post("/api/admin/exchange/exports", json={"group": "haemato-b"}).status_code == 403
    assert alice.post("/api/admin/exchange/imports", content=b"PK").status_code == 403
