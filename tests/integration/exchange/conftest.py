"""Two installs: `source` with real work done (a patient with a FASTQ sample analysed for real
and an imported `.vidjil`, a run sharing the FASTQ sample, a saved `.analysis`), exported while
its app runs; and a factory of empty installs to import into, each with a group and alice."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from litestar.testing import TestClient

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api, Lab
from tests.integration.metrics.test_metrics import launch_and_wait, new_set, upload
from tests.waiting import wait_until
from vidjil_local.api.app import create_app
from vidjil_local.cli import main
from vidjil_local.db import Database
from vidjil_local.settings import Settings, resolve_settings

DATA = Path(__file__).parents[2] / "data"
VIDJIL = (DATA / "vidjil" / "one-sample.vidjil").read_bytes()
ANALYSIS = (DATA / "vidjil" / "two-samples-mrd.analysis").read_bytes()
FASTQ = b"".join(
    gzip.decompress((DATA / "lab" / "diagnosis.fastq.gz").read_bytes()).splitlines(True)[:1200]
)
RIGHTS = ("read", "create", "upload", "run", "save")
ALICE = "alice@lab.example"


@dataclass
class Install:
    settings: Settings
    database: Database
    admin: Api

    def cli(self, *args: str) -> int:
        return main(["--data-dir", str(self.settings.data_dir), *args])

    def count(self, table: str) -> int:
        return int(self.database.db().execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@dataclass
class Source(Install):
    patient: int
    run: int
    archive: Path
    with_sequences: Path


def _settings(root: Path) -> Settings:
    return resolve_settings(root / "data", environ={}, overrides={"workers_pool": 1})


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Source]:
    root = tmp_path_factory.mktemp("source")
    settings = _settings(root)
    with local_client(create_app(settings)) as client:
        admin = Api(client)
        assert admin.post("/api/auth/setup", json=ADMIN).status_code == 201
        lab = Lab(client.app)
        group = lab.group("haemato", RIGHTS)
        alice = lab.user(ALICE, group)
        patient, run = new_set(alice, "patient", group), new_set(alice, "run", group)
        fastq = upload(alice, patient, "diagnosis.fastq", FASTQ)
        imported = upload(alice, patient, "elsewhere.vidjil", VIDJIL)
        assert alice.post(f"/api/samples/{fastq}/sets", json={"set_id": run}).is_success
        launch_and_wait(alice, patient, 2, [fastq])  # IGH, a real analysis
        import_config = next(
            c["id"] for c in admin.get("/api/configs").json() if c["program"] == "import"
        )
        launch_and_wait(alice, patient, import_config, [imported])
        launch_and_wait(alice, patient, 2, [fastq])  # a re-run: two results, the latest counts
        saved = alice.post(f"/api/sample-sets/{patient}/analysis", content=ANALYSIS)
        assert saved.status_code == 201, saved.text
        database: Database = client.app.state.context.database
        wait_until(lambda: _fused_done(database), timeout=120, what="the fuses did not end")
        install = Install(settings, database, admin)
        archive, full = root / "patient.zip", root / "with-sequences.zip"
        assert install.cli("export", "--group", "haemato", str(archive)) == 0
        assert install.cli("export", "--set", str(patient), "--sequences", str(full)) == 0
        yield Source(settings, database, admin, patient, run, archive, full)


def _fused_done(database: Database) -> bool:
    busy = (
        database.db()
        .execute("SELECT count(*) FROM jobs WHERE status IN ('queued', 'running')")
        .fetchone()[0]
    )
    fused = database.db().execute("SELECT count(*) FROM fused_results").fetchone()[0]
    return bool(busy == 0 and fused == 3)  # patient: IGH and import; run: IGH


@pytest.fixture
def new_install(tmp_path: Path) -> Iterator[Callable[[], Install]]:
    yield from _installs(tmp_path)


@pytest.fixture(scope="module")
def untouched_install(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Install]:
    """One install for the tests that must leave it as it was (refused archives)."""
    for make in _installs(tmp_path_factory.mktemp("untouched")):
        yield make()


def _installs(root: Path) -> Iterator[Callable[[], Install]]:
    clients: list[TestClient] = []  # type: ignore[type-arg]

    def make() -> Install:
        settings = _settings(root / f"install-{len(clients)}")
        client = local_client(create_app(settings))
        client.__enter__()
        clients.append(client)
        admin = Api(client)
        assert admin.post("/api/auth/setup", json=ADMIN).status_code == 201
        lab = Lab(client.app)
        lab.user(ALICE, lab.group("haemato-b", RIGHTS))
        return Install(settings, client.app.state.context.database, admin)

    yield make
    for client in clients:
        client.__exit__(None, None, None)
