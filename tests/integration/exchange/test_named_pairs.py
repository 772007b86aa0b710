"""A pair named from the common part of its files' names moves to another install with each file's
own name (`original_name1`), and older archives, which lack it, still import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.integration.api.test_paired_names import PAIR, R1_NAME, R2_NAME, new_pair, put
from tests.integration.api.test_samples import DATA, new_set
from tests.integration.exchange.conftest import Install
from vidjil_local.services.exchange import records as r


def group_id(install: Install, name: str) -> int:
    row = install.database.db().execute("SELECT id FROM groups WHERE name = ?", [name]).fetchone()
    return int(row[0])


def test_a_named_pair_keeps_its_files_names_in_another_install(
    new_install: Callable[[], Install], tmp_path: Path
) -> None:
    source, target = new_install(), new_install()
    set_id = new_set(source.admin, group_id(source, "haemato-b"))
    sample = new_pair(source.admin, set_id, original_name1=R1_NAME)
    for number, name in ((1, "r1.fastq"), (2, "r2.fastq")):
        content = (DATA / name).read_bytes()
        assert put(source.admin, sample["id"], number, content, 0, len(content)).status_code == 200
    archive = tmp_path / "pair.zip"
    assert source.cli("export", "--set", str(set_id), "--sequences", str(archive)) == 0
    assert target.cli("import", str(archive), "--group", "haemato-b") == 0

    [imported] = target.database.db().execute("SELECT id FROM samples").fetchall()
    shown = target.admin.get(f"/api/samples/{imported[0]}").json()
    assert (shown["original_name"], shown["original_name1"], shown["original_name2"]) == (
        PAIR["original_name"],
        R1_NAME,
        R2_NAME,
    )
    download = target.admin.get(f"/api/samples/{imported[0]}/files/1")
    assert download.content == (DATA / "r1.fastq").read_bytes()
    assert f'filename="{R1_NAME}"' in download.headers["content-disposition"]


def test_a_sample_record_of_an_older_archive_has_no_r1_name() -> None:
    older = {
        "id": 1, "original_name": "x_R1.fq", "stored_name": None, "original_name2": "x_R2.fq",
        "stored_name2": None, "size": 0, "size2": None, "sha256": None, "sha256_2": None,
        "network": 0, "status": "waiting", "status_message": "", "sampling_date": None,
        "info": "", "pcr": "", "sequencer": "", "producer": "", "uploaded_by": None,
        "created_at": "2026-01-01T00:00:00Z",
    }  # fmt: skip
    assert r.SampleRecord.model_validate(older).original_name1 is None
