"""The export folder of a classic Vidjil server's migrator (export.json with its tables keyed by
old id, config.json, files/) imported into a running install: sets, samples waiting for their
reads, results read from Vidjil's `.vidjil` files, the `.analysis`, fused again by our fuse; what
the files do not allow is listed, a file named outside files/ refuses the whole folder."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.integration.exchange.conftest import Install
from tests.waiting import wait_until

# real analyses and fuses in the shared workload (module fixture) or a fuse to wait for
pytestmark = pytest.mark.slow

VIDJIL = Path(__file__).parents[2] / "data" / "vidjil"
TABLES = ("sample_sets", "samples", "results", "analyses", "set_samples")


def sequence_file(name: str, date: str, info: str) -> dict[str, Any]:
    return {"patient_id": None, "sampling_date": date, "info": info, "filename": name,
            "pcr": "", "sequencer": "MiSeq", "producer": "lab", "size_file": 1234,
            "size_file2": 0, "network": False, "provider": 1, "pre_process_id": None,
            "pre_process_result": None, "pre_process_flag": None,
            "pre_process_scheduler_task_id": None, "data_file": f"sequence_file.{name}",
            "data_file2": None, "pre_process_file": None}  # fmt: skip


def result_file(sequence_file_id: int, config_id: int, data_file: str | None) -> dict[str, Any]:
    return {"sequence_file_id": sequence_file_id, "config_id": config_id,
            "run_date": "2024-01-06 10:00:00", "scheduler_task_id": 9, "hidden": False,
            "data_file": data_file}  # fmt: skip


def make_export(
    folder: Path, *, result_config: int = 25, extra: dict[str, Any] | None = None
) -> Path:
    files = folder / "files"
    files.mkdir(parents=True)
    shutil.copy(VIDJIL / "one-sample.vidjil", files / "results_file.data_file.a1.vidjil")
    shutil.copy(VIDJIL / "paired-sample.vidjil", files / "results_file.data_file.a2.vidjil")
    (files / "results_file.data_file.broken.vidjil").write_text('{"samples": 3}')
    shutil.copy(
        VIDJIL / "two-samples-mrd.analysis", files / "analysis_file.analysis_file.c1.analysis"
    )
    tables = {
        "patient": {"12": {"first_name": "Ada", "last_name": "Byron", "birth": "1970-01-02",
                           "info": "#diagnosis", "id_label": "P-12", "creator": 1,
                           "sample_set_id": 40}},
        "run": {"3": {"name": "run-3", "run_date": "2024-02-01", "info": "", "id_label": "R3",
                      "creator": 1, "sequencer": "MiSeq", "pcr": "multiplex",
                      "sample_set_id": 41}},
        "sequence_file": {"100": sequence_file("diag.fastq.gz", "2024-01-05", "diagnosis"),
                          "101": sequence_file("mrd.fastq.gz", "2024-03-05", "day 35")},
        "membership": {"500": {"sample_set_id": 40, "sequence_file_id": 100},
                       "501": {"sample_set_id": 40, "sequence_file_id": 101},
                       "502": {"sample_set_id": 41, "sequence_file_id": 100}},
        "results_file": {"700": result_file(100, result_config, "results_file.data_file.a1.vidjil"),
                         "701": result_file(101, 25, "results_file.data_file.a2.vidjil"),
                         "702": result_file(101, 25, "results_file.data_file.broken.vidjil"),
                         "703": result_file(100, 25, None)},
        "analysis_file": {"800": {"patient_id": None, "config_id": None, "sample_set_id": 40,
                                  "analyze_date": "2024-01-07 09:00:00", "status": "",
                                  "analysis_file": "analysis_file.analysis_file.c1.analysis"}},
        "fused_file": {"900": {"patient_id": None, "config_id": 25, "sample_set_id": 40,
                               "fuse_date": "2024-01-06 10:05:00", "status": "",
                               "sequence_file_list": "100_101_",
                               "fused_file": "fused_file.fused_file.f1.vidjil"}},
        "scheduler_task": {}, "scheduler_run": {},
        **(extra or {}),
    }  # fmt: skip
    (folder / "export.json").write_text(json.dumps(tables))
    configs = {"25": {"description": {"name": "multi+inc+xxx", "program": "vidjil",
                                      "command": "-c clones -3 -z 100 -r 1 -g germline/homo-"
                                      "sapiens.g -e 1 -2 -d -w 50 -y all", "fuse_command":
                                      "-t 100", "info": "default", "classification": 1},
                      "link_local": 25},
               "30": {"description": ["TRG (2019)", "vidjil", "-g germline/homo-sapiens.g:TRG"],
                      "link_local": 30}}  # fmt: skip
    (folder / "config.json").write_text(json.dumps(configs))
    return folder


def rows(install: Install, query: str, *params: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in install.database.db().query(query, list(params))]


def test_a_vidjil_server_export_is_imported_and_fused(
    new_install: Callable[[], Install], tmp_path: Path, capsys: Any
) -> None:
    target = new_install()
    folder = make_export(tmp_path / "export")
    assert target.cli("import-vidjil", str(folder), "--group", "haemato-b") == 0
    out = capsys.readouterr().out
    assert "result 702 (results_file.data_file.broken.vidjil)" in out
    assert "result 703: no file in files/" in out
    sets = rows(target, "SELECT * FROM sample_sets ORDER BY id")
    assert [
        (s["kind"], s["first_name"], s["last_name"], s["birth"], s["id_label"], s["info"])
        for s in sets[:1]
    ] == [("patient", "Ada", "Byron", "1970-01-02", "P-12", "#diagnosis")]
    assert (sets[1]["kind"], sets[1]["name"], sets[1]["pcr"]) == ("run", "run-3", "multiplex")
    samples = rows(target, "SELECT * FROM samples ORDER BY id")
    assert [(s["original_name"], s["sampling_date"], s["status"]) for s in samples] == [
        ("diag.fastq.gz", "2024-01-05", "waiting"),
        ("mrd.fastq.gz", "2024-03-05", "waiting"),
    ]
    links = rows(target, "SELECT sample_set_id, sample_id, position FROM set_samples ORDER BY 1, 3")
    assert [(x["sample_set_id"], x["sample_id"]) for x in links] == [
        (sets[0]["id"], samples[0]["id"]), (sets[0]["id"], samples[1]["id"]),
        (sets[1]["id"], samples[0]["id"])]  # fmt: skip
    default = rows(target, "SELECT id FROM configs WHERE name = 'multi+inc+xxx'")[0]["id"]
    results = rows(target, "SELECT * FROM results ORDER BY id")
    assert [(r["config_id"], json.loads(r["summary"])["clones"]) for r in results] == [
        (default, 6), (default, 12)]  # fmt: skip
    original = target.settings.results_dir / results[0]["folder"] / "vidjil-server-original.vidjil"
    assert original.read_bytes() == (VIDJIL / "one-sample.vidjil").read_bytes()
    analysis = rows(target, "SELECT content FROM analyses")[0]["content"]
    assert json.loads(analysis) == json.loads((VIDJIL / "two-samples-mrd.analysis").read_text())
    patient = sets[0]["id"]

    def fused() -> bool:
        return bool(rows(target, "SELECT 1 FROM fused_results WHERE sample_set_id = ?", patient))

    wait_until(fused, timeout=60, what="the imported patient was not fused")
    clones = target.admin.get(f"/api/sample-sets/{patient}/clones?config_id={default}").json()
    assert clones["total"] >= 12


def test_unmapped_configs_and_unsafe_names_write_nothing(
    new_install: Callable[[], Install], tmp_path: Path, capsys: Any
) -> None:
    target = new_install()
    before = {table: target.count(table) for table in TABLES}
    unmapped = make_export(tmp_path / "unmapped", result_config=30)
    assert target.cli("import-vidjil", str(unmapped), "--group", "haemato-b") == 2
    assert "config 30 'TRG (2019)'" in capsys.readouterr().err
    assert target.cli("import-vidjil", str(unmapped), "--group", "haemato-b", "--check") == 1
    unsafe = make_export(tmp_path / "unsafe", extra={"results_file": {
        "1": result_file(100, 25, "../../export.json")}})  # fmt: skip
    assert target.cli("import-vidjil", str(unsafe), "--group", "haemato-b") == 1
    assert "outside files/" in capsys.readouterr().err
    assert {table: target.count(table) for table in TABLES} == before
    mapped = ("import-vidjil", str(unmapped), "--group", "haemato-b", "--config", "30=TRG")
    assert target.cli(*mapped) == 0
    trg = rows(target, "SELECT id FROM configs WHERE name = 'TRG'")[0]["id"]
    assert trg in {r["config_id"] for r in rows(target, "SELECT config_id FROM results")}
