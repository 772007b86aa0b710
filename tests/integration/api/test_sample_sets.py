"""Patients, runs and sets: create, list, search, pseudonymise, edit, delete, batch, access."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.api.conftest import Api, Lab
from vidjil_local.services import audit
from vidjil_local.settings import Settings


def create(api: Api, **fields: object) -> dict[str, Any]:
    response = api.post("/api/sample-sets", json=fields)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_create_and_read_a_patient(admin_api: Api) -> None:
    patient = create(
        admin_api,
        kind="patient",
        first_name="Ada",
        last_name="Lovelace",
        birth="1980-12-10",
        id_label="P-001",
        info="ALL diagnosis #ALL #cohort-2024",
    )
    assert patient["name"] == "Ada Lovelace" and patient["tags"] == ["all", "cohort-2024"]
    read = admin_api.get(f"/api/sample-sets/{patient['id']}").json()
    assert read["birth"] == "1980-12-10" and "run" in read["rights"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "patient", "first_name": "only"}, "last name or an id label"),
        ({"kind": "run"}, "needs a name"),
        ({"kind": "patient", "last_name": "X", "birth": "10/12/1980"}, "YYYY-MM-DD"),
        ({"kind": "planet", "name": "x"}, "unknown kind"),
        ({"kind": "generic", "name": "x", "birth": "2000-01-01"}, "has no field birth"),
    ],
)
def test_invalid_sets_are_refused(admin_api: Api, fields: dict[str, str], message: str) -> None:
    response = admin_api.post("/api/sample-sets", json=fields)
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]


def test_search_words_exclusions_and_tags(admin_api: Api) -> None:
    create(admin_api, kind="run", name="MiSeq run 12", info="#validation TRG")
    create(admin_api, kind="run", name="MiSeq run 13", info="#routine IGH")
    create(admin_api, kind="run", name="NextSeq run 1", info="#routine TRG")

    def names(search: str) -> list[str]:
        page = admin_api.get("/api/sample-sets", params={"kind": "run", "search": search}).json()
        return sorted(item["name"] for item in page["items"])

    assert names("miseq") == ["MiSeq run 12", "MiSeq run 13"]
    assert names("miseq -igh") == ["MiSeq run 12"]
    assert names("#routine") == ["MiSeq run 13", "NextSeq run 1"]
    assert names("#routine trg") == ["NextSeq run 1"]
    assert names("#nope") == []


def test_paging_and_sorting(admin_api: Api) -> None:
    for number in range(7):
        create(admin_api, kind="generic", name=f"set {number}")
    first = admin_api.get("/api/sample-sets", params={"sort": "name", "limit": 3}).json()
    assert first["total"] == 7 and [i["name"] for i in first["items"]] == [
        "set 0",
        "set 1",
        "set 2",
    ]
    last = admin_api.get("/api/sample-sets", params={"sort": "-name", "limit": 3, "offset": 6})
    assert [i["name"] for i in last.json()["items"]] == ["set 0"]
    bad = admin_api.get("/api/sample-sets", params={"sort": "password_hash"})
    assert bad.status_code == 400


def test_patients_are_pseudonymised_without_the_anon_right(lab: Lab) -> None:
    lab_group = lab.group("hematology", ("read", "create", "upload", "run", "save", "admin"))
    technician = lab.user("tech@lab.example", lab_group)
    patient = create(
        technician,
        kind="patient",
        first_name="Grace",
        last_name="Hopper",
        birth="1970-01-01",
    )
    assert patient["name"].startswith("Hop (") and patient["first_name"] == ""
    assert patient["birth"] is None and patient["pseudonymised"] is True
    listed = technician.get("/api/sample-sets", params={"kind": "patient"}).json()["items"]
    assert listed[0]["last_name"] == "Hop"
    assert technician.get("/api/sample-sets", params={"search": "grace"}).json()["total"] == 0
    with lab.database.write() as db:
        db.execute("INSERT INTO group_rights (group_id, name) VALUES (?, 'anon')", [lab_group])
    full = technician.get(f"/api/sample-sets/{patient['id']}").json()
    assert full["first_name"] == "Grace" and full["birth"] == "1970-01-01"


def test_other_groups_sets_are_invisible(lab: Lab, admin_api: Api) -> None:
    first = lab.group("lab A", ("read", "create", "admin"))
    second = lab.group("lab B", ("read", "create", "admin"))
    alice, bob = lab.user("alice@a.example", first), lab.user("bob@b.example", second)
    secret = create(alice, kind="generic", name="A's cohort")
    assert bob.get(f"/api/sample-sets/{secret['id']}").status_code == 404
    assert bob.patch(f"/api/sample-sets/{secret['id']}", json={"name": "x"}).status_code == 404
    assert bob.delete(f"/api/sample-sets/{secret['id']}").status_code == 404
    assert bob.get("/api/sample-sets").json()["total"] == 0
    both = {"group_ids": [first, second]}
    assert alice.put(f"/api/sample-sets/{secret['id']}/groups", json=both).status_code == 403
    assert bob.get(f"/api/sample-sets/{secret['id']}").status_code == 404
    shared = admin_api.put(f"/api/sample-sets/{secret['id']}/groups", json=both)
    assert shared.status_code == 200  # only an administrator hands a set to another lab
    assert bob.get(f"/api/sample-sets/{secret['id']}").status_code == 200


def test_the_groups_offered_for_sharing_are_those_the_server_accepts(
    lab: Lab, admin_api: Api
) -> None:
    owners = lab.group("lab A", ("read", "create", "admin"))
    readers = lab.group("readers", ("read",))
    wider = lab.group("wider", ("read", "create", "admin", "anon"))  # anon: not held on the set
    lab.group("lab B", ("read",))  # alice is not in it
    alice = lab.user("alice@a.example", owners, readers, wider)
    bob = lab.user("bob@a.example", readers)
    cohort = create(alice, kind="generic", name="A's cohort", group_id=owners)
    url = f"/api/sample-sets/{cohort['id']}/groups"
    offered = {choice["name"]: choice for choice in alice.get(url).json()}
    assert sorted(offered) == ["lab A", "readers"]
    assert offered["lab A"]["owns"] and not offered["readers"]["owns"]
    every_group = [choice["id"] for choice in admin_api.get(url).json()]
    assert {owners, readers, wider} < set(every_group)
    for group_id in every_group:
        answer = alice.put(url, json={"group_ids": [owners, group_id]})
        assert answer.status_code == (200 if group_id in (owners, readers) else 403), group_id
    assert alice.put(url, json={"group_ids": [owners]}).status_code == 200
    assert alice.put(url, json={"group_ids": [owners, readers]}).status_code == 200
    assert bob.get(f"/api/sample-sets/{cohort['id']}").json()["rights"] == ["read"]
    assert bob.get(url).status_code == 403  # reading the set is not sharing it


def test_create_only_in_a_group_with_the_create_right(lab: Lab) -> None:
    readers = lab.group("readers", ("read",))
    writers = lab.group("writers", ("read", "create"))
    reader = lab.user("reader@lab.example", readers)
    refused = reader.post("/api/sample-sets", json={"kind": "generic", "name": "x"})
    assert refused.status_code == 403
    elsewhere = reader.post(
        "/api/sample-sets", json={"kind": "generic", "name": "x", "group_id": writers}
    )
    assert elsewhere.status_code == 403


def test_edit_and_delete_need_the_admin_right(lab: Lab) -> None:
    group = lab.group("no-admin", ("read", "create"))
    user = lab.user("u@lab.example", group)
    made = create(user, kind="generic", name="mine")
    assert user.patch(f"/api/sample-sets/{made['id']}", json={"name": "y"}).status_code == 403
    assert user.delete(f"/api/sample-sets/{made['id']}").status_code == 403
    with lab.database.write() as db:
        db.execute("INSERT INTO group_rights (group_id, name) VALUES (?, 'admin')", [group])
    edited = user.patch(f"/api/sample-sets/{made['id']}", json={"name": "renamed"})
    assert edited.status_code == 200 and edited.json()["name"] == "renamed"
    assert user.patch(f"/api/sample-sets/{made['id']}", json={"name": ""}).status_code == 400
    assert user.delete(f"/api/sample-sets/{made['id']}").status_code == 204
    assert user.get(f"/api/sample-sets/{made['id']}").status_code == 404


def test_batch_creation_is_all_or_nothing(admin_api: Api) -> None:
    rows = "P1\tAda\tLovelace\t1980-12-10\t#ALL\nP2\tAlan\tTuring\t1954-06-07\t\n"
    created = admin_api.post("/api/sample-sets/batch", json={"kind": "patient", "rows": rows})
    assert created.status_code == 201 and len(created.json()["ids"]) == 2
    bad = "P3\tX\tY\t1990-01-01\nP4\tZ\t\tnot-a-date\n"
    refused = admin_api.post("/api/sample-sets/batch", json={"kind": "patient", "rows": bad})
    assert refused.status_code == 400
    assert "row 2" in refused.json()["error"]["message"]
    total = admin_api.get("/api/sample-sets", params={"kind": "patient"}).json()["total"]
    assert total == 2


def test_viewing_a_patient_is_audited(lab: Lab, admin_api: Api) -> None:
    patient = create(admin_api, kind="patient", last_name="Curie")
    admin_api.get(f"/api/sample-sets/{patient['id']}")
    actions = [e["action"] for e in audit.entries(lab.database, "sample_sets", int(patient["id"]))]
    assert actions == ["view", "create"]


def test_deleting_a_set_removes_the_files_of_samples_only_it_held(
    admin_api: Api, settings: Settings
) -> None:
    kept_set = create(admin_api, kind="generic", name="keeps its sample")
    gone_set = create(admin_api, kind="generic", name="to delete")
    fastq = b"@r1\nACGTACGTAC\n+\nIIIIIIIIII\n"
    paths = {}
    for name in ("shared", "alone"):
        made = admin_api.post(
            f"/api/sample-sets/{gone_set['id']}/samples", json={"original_name": f"{name}.fq"}
        ).json()
        assert admin_api.put(f"/api/samples/{made['id']}/files/1", content=fastq).status_code == 200
        paths[name] = (made["id"], sorted(settings.sequences_dir.glob(f"{made['id']}_1*")))
    shared_id = paths["shared"][0]
    linked = admin_api.post(f"/api/samples/{shared_id}/sets", json={"set_id": kept_set["id"]})
    assert linked.status_code in {200, 201}
    assert admin_api.delete(f"/api/sample-sets/{gone_set['id']}").status_code == 204
    assert all(path.exists() for path in paths["shared"][1])
    assert paths["alone"][1] and not any(path.exists() for path in paths["alone"][1])
    assert admin_api.get(f"/api/samples/{shared_id}").status_code == 200
