"""What the results page reads from memory stays right: a revoked right or a locked account is
refused at the next request, a new fuse is served at once, the fused `.vidjil` answers 304 to a
browser that has it, and views are audited once a minute."""

from __future__ import annotations

from tests.integration.api.test_results import VIDJIL, Patient, patient  # noqa: F401
from tests.waiting import wait_until
from vidjil_local.db.clock import now
from vidjil_local.services import audit


def imported(patient: Patient, name: str = "S01.vidjil") -> int:  # noqa: F811
    sample_id = patient.add_file(name, (VIDJIL / "one-sample.vidjil").read_bytes())
    patient.run_import()
    return patient.result_id(sample_id)


def test_a_revoked_right_is_refused_at_the_next_request(patient: Patient) -> None:  # noqa: F811
    result_id = imported(patient)
    member = patient.lab.user("member@lab.example", patient.group)
    urls = (
        f"/api/results/{result_id}/clones",
        f"/api/sample-sets/{patient.set_id}/clones?config_id={patient.import_config}",
        f"/api/sample-sets/{patient.set_id}/results?config_id={patient.import_config}",
        f"/api/sample-sets/{patient.set_id}",
    )
    for _ in range(2):  # read twice: what can be remembered is
        assert [member.get(url).status_code for url in urls] == [200] * len(urls)
    with patient.lab.database.write() as db:
        db.execute("DELETE FROM group_rights WHERE group_id = ? AND name = 'read'", [patient.group])
    assert [member.get(url).status_code for url in urls] == [404] * len(urls)
    with patient.lab.database.write() as db:
        db.execute("INSERT INTO group_rights (group_id, name) VALUES (?, 'read')", [patient.group])
    assert member.get(urls[0]).status_code == 200
    with patient.lab.database.write() as db:
        db.execute("UPDATE users SET locked_at = ? WHERE email = 'member@lab.example'", [now()])
    assert member.get(urls[0]).status_code == 401


def test_the_fused_vidjil_is_revalidated_and_a_new_fuse_served_at_once(
    patient: Patient,  # noqa: F811
) -> None:
    imported(patient)
    url = f"/api/sample-sets/{patient.set_id}/results?config_id={patient.import_config}"
    first = patient.api.get(url)
    assert first.status_code == 200 and first.json()["samples"]["number"] == 1
    assert first.headers["content-disposition"].startswith("attachment;")
    etag = first.headers["etag"]
    unchanged = patient.api.get(url, headers={"if-none-match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    clones = f"/api/sample-sets/{patient.set_id}/clones?config_id={patient.import_config}"
    assert len(patient.api.get(clones).json()["samples"]) == 1
    imported(patient, "S02.vidjil")

    def fused_twice() -> bool:
        return len(patient.api.get(clones).json()["samples"]) == 2

    wait_until(fused_twice, timeout=30, what="the second sample in the fused result")
    again = patient.api.get(url, headers={"if-none-match": etag})
    assert again.status_code == 200 and again.json()["samples"]["number"] == 2
    assert again.headers["etag"] != etag


def test_repeated_views_are_audited_once_a_minute(patient: Patient) -> None:  # noqa: F811
    imported(patient)
    set_url = f"/api/sample-sets/{patient.set_id}"
    for _ in range(3):
        assert patient.api.get(set_url).status_code == 200
        assert patient.api.get(f"{set_url}/analysis").status_code == 200
        fused = patient.api.get(f"{set_url}/results?config_id={patient.import_config}")
        assert fused.status_code == 200
    actions = [e["action"] for e in audit.entries(patient.lab.database, "sample_sets")]
    assert actions.count("view") == 1
    assert actions.count("view_analysis") == 1
    assert actions.count("view_result") == 1
