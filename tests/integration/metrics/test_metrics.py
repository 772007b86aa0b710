"""The guide's metrics after a real workload (users of two groups, sets of every kind, uploads,
imports and a real analysis, a re-run, a failed job, a deleted sample, a shared set, logins and
wrong passwords): every value, in JSON and in Prometheus text, is what the database rows say,
counted here independently of the metrics' SQL."""

from __future__ import annotations

import gzip
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api, Lab
from tests.waiting import wait_until
from vidjil_local.api.app import create_app
from vidjil_local.db import Database
from vidjil_local.services.metrics.catalog import METRICS
from vidjil_local.settings import Settings

# the module's workload (a real analysis, imports, fuses) runs in its first test's setup
pytestmark = pytest.mark.slow

DATA = Path(__file__).parents[2] / "data"
VIDJIL = (DATA / "vidjil" / "one-sample.vidjil").read_bytes()
FASTQ = b"".join(
    gzip.decompress((DATA / "lab" / "diagnosis.fastq.gz").read_bytes()).splitlines(True)[:1200]
)
Values = dict[frozenset[tuple[str, str]], float]
PASSWORD = "pipette-1234"


@pytest.fixture(scope="module")
def workload(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Database]]:
    from vidjil_local.settings import resolve_settings

    settings = resolve_settings(tmp_path_factory.mktemp("metrics") / "data", environ={},
                                overrides={"workers_pool": 1})  # fmt: skip
    with local_client(create_app(settings)) as client:
        admin = Api(client)
        assert admin.post("/api/auth/setup", json=ADMIN).status_code == 201
        run_workload(admin)
        yield admin, client.app.state.context.database


def run_workload(admin: Api) -> None:
    lab = Lab(admin.client.app)
    rights = ("read", "create", "upload", "run", "save")
    group_a, group_b = lab.group("haemato", rights), lab.group("research", rights)
    alice = lab.user("alice@lab.example", group_a, password=PASSWORD)
    bob = lab.user("bob@lab.example", group_b, password=PASSWORD)
    alice_sets = [new_set(alice, kind, group_a) for kind in ("patient", "patient", "run")]
    bob_sets = [new_set(bob, kind, group_b) for kind in ("patient", "generic")]
    samples = {set_id: [upload(alice, set_id, f"s{set_id}-{n}.vidjil", VIDJIL) for n in (1, 2)]
               for set_id in alice_sets[:2]}  # fmt: skip
    samples[alice_sets[2]] = [upload(alice, alice_sets[2], "run.vidjil", VIDJIL)]
    samples[bob_sets[0]] = [upload(bob, bob_sets[0], "bob.vidjil", VIDJIL)]
    samples[bob_sets[1]] = [upload(bob, bob_sets[1], "real.fastq", FASTQ)]
    shared = samples[alice_sets[0]][0]
    assert alice.post(f"/api/samples/{shared}/sets", json={"set_id": alice_sets[2]}).is_success
    import_id = next(c["id"] for c in admin.get("/api/configs").json() if c["program"] == "import")
    for set_id in alice_sets[:2]:
        launch_and_wait(alice, set_id, import_id, samples[set_id])
    launch_and_wait(alice, alice_sets[2], import_id, samples[alice_sets[2]])
    launch_and_wait(bob, bob_sets[0], import_id, samples[bob_sets[0]])
    launch_and_wait(bob, bob_sets[1], 2, samples[bob_sets[1]])  # IGH: a real analysis
    launch_and_wait(alice, alice_sets[0], import_id, samples[alice_sets[0]][:1])  # a re-run
    broken = upload(bob, bob_sets[0], "lost.vidjil", VIDJIL)
    settings: Settings = admin.client.app.state.context.settings
    for stored in settings.sequences_dir.glob(f"{broken}_*"):
        stored.unlink()
    launch_and_wait(bob, bob_sets[0], import_id, [broken])  # fails
    gone = upload(alice, alice_sets[1], "gone.vidjil", VIDJIL)
    assert admin.delete(f"/api/samples/{gone}").is_success
    assert admin.put(f"/api/sample-sets/{alice_sets[0]}/groups",
                     json={"group_ids": [group_a, group_b]}).is_success  # fmt: skip
    assert alice.login("alice@lab.example", "wrong-password").status_code == 401
    assert admin.login("nobody@lab.example", "wrong-password").status_code == 401
    assert admin.login(ADMIN["email"], ADMIN["password"]).status_code == 200


def new_set(api: Api, kind: str, group_id: int) -> int:
    fields = {"patient": {"id_label": "P"}, "run": {"name": "R"}, "generic": {"name": "G"}}
    response = api.post("/api/sample-sets", json={"kind": kind, "group_id": group_id,
                                                  **fields[kind]})  # fmt: skip
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def upload(api: Api, set_id: int, name: str, content: bytes) -> int:
    sample = api.post(f"/api/sample-sets/{set_id}/samples", json={"original_name": name})
    sample_id = int(sample.json()["id"])
    assert api.put(f"/api/samples/{sample_id}/files/1", content=content).status_code == 200
    return sample_id


def launch_and_wait(api: Api, set_id: int, config_id: int, sample_ids: list[int]) -> None:
    before = {job["id"] for job in api.get(f"/api/sample-sets/{set_id}/jobs").json()}
    body = {"config_id": config_id, "sample_ids": sample_ids}
    response = api.post(f"/api/sample-sets/{set_id}/analyses", json=body)
    assert response.status_code == 201, response.text

    def ended() -> bool:
        jobs = [j for j in api.get(f"/api/sample-sets/{set_id}/jobs").json()
                if j["id"] not in before]  # fmt: skip
        return bool(jobs) and all(j["status"] in {"completed", "failed"} for j in jobs)

    wait_until(ended, timeout=120, what="the workload's jobs did not end")


# -- the same metrics, counted from the rows in Python ------------------------------------------
def rows(database: Database, table: str) -> list[dict[str, Any]]:
    return list(database.db().query(f"SELECT * FROM {table}"))


def expected(database: Database) -> dict[str, Values]:
    sets = {s["id"]: s for s in rows(database, "sample_sets")}
    live = [s for s in rows(database, "samples") if s["status"] != "deleted"]
    results = rows(database, "results")
    configs = {c["id"]: c for c in rows(database, "configs")}
    groups = {g["id"]: g for g in rows(database, "groups")}
    access = rows(database, "set_access")
    links = rows(database, "set_samples")
    out: dict[str, Values] = {}

    def one(name: str, count: float) -> None:
        out[name] = {frozenset(): float(count)}

    def labelled(name: str, counter: Counter[tuple[tuple[str, str], ...]]) -> None:
        out[name] = {frozenset(key): float(value) for key, value in counter.items()}

    def by_user(value: object) -> str:
        return "none" if value is None else str(value)

    def config_labels(config_id: int) -> tuple[tuple[str, str], ...]:
        config = configs[config_id]
        return (("config_id", str(config_id)), ("config_name", config["name"]),
                ("program", config["program"]))  # fmt: skip

    one("group_count", len(groups))
    one("sequence_count", len(live))
    one("results_count", len(results))
    for plural, kind in (("patients", "patient"), ("runs", "run"), ("generics", "generic")):
        of_kind = [s for s in sets.values() if s["kind"] == kind]
        one(f"set_{plural}_count", len(of_kind))
        labelled(f"set_{plural}_by_user",
                 Counter((("user_id", by_user(s["created_by"])),) for s in of_kind))  # fmt: skip
        labelled(f"set_{plural}_by_group", Counter(
            (("group_id", str(a["group_id"])), ("group_name", groups[a["group_id"]]["name"]))
            for a in access if sets[a["sample_set_id"]]["kind"] == kind
        ))  # fmt: skip
        in_kind = {link["sample_id"] for link in links
                   if sets[link["sample_set_id"]]["kind"] == kind}  # fmt: skip
        suffix = "generic" if kind == "generic" else plural
        labelled(f"config_analysis_by_users_{suffix}", Counter(
            config_labels(r["config_id"]) for r in results if r["sample_id"] in in_kind
        ))  # fmt: skip
    labelled("sequence_by_user", Counter((("user_id", by_user(s["uploaded_by"])),) for s in live))
    sizes: Counter[tuple[tuple[str, str], ...]] = Counter()
    for sample in live:
        sizes[(("user_id", by_user(sample["uploaded_by"])),)] += sample["size"] + (
            sample["size2"] or 0
        )
    labelled("sequence_size_by_user", sizes)
    labelled("config_analysis", Counter(config_labels(r["config_id"]) for r in results))
    labelled("status_analysis", Counter(
        (("kind", j["kind"]), ("status", j["status"])) for j in rows(database, "jobs")
    ))  # fmt: skip
    logins = [
        a
        for a in rows(database, "audit_log")
        if a["action"].startswith("login") or a["action"] in ("logout", "account_locked")
    ]
    labelled("login_count", Counter(
        (("user_id", by_user(a["user_id"])), ("action", a["action"])) for a in logins
    ))  # fmt: skip
    labelled(
        "config_analysis_by_groups",
        analyses_by_groups(results, links, sets, access, configs, groups),
    )
    return out


def analyses_by_groups(
    results: list[dict[str, Any]],
    links: list[dict[str, Any]],
    sets: dict[int, dict[str, Any]],
    access: list[dict[str, Any]],
    configs: dict[int, dict[str, Any]],
    groups: dict[int, dict[str, Any]],
) -> Counter[tuple[tuple[str, str], ...]]:
    """Each result counted once per (group with access to a set holding its sample, set kind)."""
    counted: Counter[tuple[tuple[str, str], ...]] = Counter()
    for result in results:
        seen = {
            (a["group_id"], sets[link["sample_set_id"]]["kind"])
            for link in links
            if link["sample_id"] == result["sample_id"]
            for a in access
            if a["sample_set_id"] == link["sample_set_id"]
        }
        config = configs[result["config_id"]]
        for group_id, kind in seen:
            counted[(("config_id", str(config["id"])), ("config_name", config["name"]),
                     ("group_id", str(group_id)), ("group_name", groups[group_id]["name"]),
                     ("set_kind", kind))] += 1  # fmt: skip
    return counted


def from_json(report: dict[str, Any]) -> dict[str, Values]:
    return {
        metric["name"]: {
            frozenset(sample["labels"].items()): float(sample["value"])
            for sample in metric["values"]
        }
        for metric in report["metrics"]
    }


def from_prometheus(text: str) -> dict[str, Values]:
    parsed: dict[str, Values] = {}
    for family in text_string_to_metric_families(text):
        name = family.name.removeprefix("vidjil_")
        parsed[name] = {frozenset(s.labels.items()): float(s.value) for s in family.samples}
    return parsed


def test_every_metric_matches_the_database(workload: tuple[Api, Database]) -> None:
    admin, database = workload
    want = expected(database)
    assert set(want) == {metric.name for metric in METRICS}, "the guide's 21 metrics"
    report = admin.get("/api/metrics").json()
    assert from_json(report) == want
    assert want["results_count"][frozenset()] >= 8 and len(want["status_analysis"]) >= 3
    assert any(key for key in want["login_count"] if ("action", "login_failed") in key)
    text = admin.get("/api/metrics/prometheus")
    assert text.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert from_prometheus(text.text) == {name: v for name, v in want.items() if v}


def test_the_fast_and_long_lists(workload: tuple[Api, Database]) -> None:
    admin, _ = workload
    fast = admin.get("/api/metrics", params={"list": "fast"}).json()
    long = admin.get("/api/metrics", params={"list": "long"}).json()
    assert {m["list_name"] for m in fast["metrics"]} == {"fast"} and len(fast["metrics"]) == 17
    assert sorted(m["name"] for m in long["metrics"]) == [
        "config_analysis_by_groups", "set_generics_by_group", "set_patients_by_group",
        "set_runs_by_group",
    ]  # fmt: skip
    assert admin.get("/api/metrics", params={"list": "slow"}).status_code == 400
