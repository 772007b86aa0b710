"""Analysis configs: seeded presets, listed by any user, changed only by administrators."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from litestar import Litestar

from tests.integration.api.conftest import ADMIN, Api
from vidjil_local.services import audit
from vidjil_local.services.accounts import members

MINI = Path(__file__).parents[2] / "data" / "germline" / "mini"


def _log_in_as_user(app: Litestar, api: Api) -> None:
    with app.state.context.database.write() as db:
        members.create_user(db, "tech@lab.example", "pipette-1234")
    api.post("/api/auth/logout")
    assert api.login("tech@lab.example", "pipette-1234").status_code == 200


def test_vidjil_usual_configs_are_seeded(admin_api: Api) -> None:
    listed = admin_api.get("/api/configs").json()
    by_name = {config["name"]: config for config in listed}
    # the default (preselected for new analyses) comes first: Vidjil's multi+inc+xxx
    assert listed[0]["name"] == "multi+inc+xxx" and listed[0]["germline"] == "human"
    assert listed[0]["options"]["unexpected"] is True
    assert by_name["multi-locus"]["germline"] == "human:IGH,IGK,IGL,TRA,TRB,TRG,TRD"
    assert {"IGH", "IGK", "IGL", "TRG", "TRA/TRB", "TRD", "import"} <= set(by_name)
    assert by_name["IGH"]["germline"] == "human:IGH"
    assert by_name["IGH"]["options"]["window_length"] == 60
    assert by_name["import"]["program"] == "import"


def test_follow_up_configs_keep_every_clone_from_one_read(admin_api: Api) -> None:
    by_name = {config["name"]: config for config in admin_api.get("/api/configs").json()}
    seven_loci = "human:IGH,IGK,IGL,TRA,TRB,TRG,TRD"
    for name, germline in [("IGH MRD", "human:IGH"), ("multi-locus MRD", seven_loci)]:
        assert by_name[name]["options"]["min_reads"] == 1, name
        assert by_name[name]["germline"] == germline
        assert by_name[name]["classification"] == "MRD follow-up"
    assert (
        by_name["IGH MRD"]["options"]["window_length"] == by_name["IGH"]["options"]["window_length"]
    )
    assert by_name["IGH"]["options"]["min_reads"] == 5  # the diagnosis configs are unchanged


def test_an_admin_creates_edits_and_deletes_a_config(app: Litestar, admin_api: Api) -> None:
    body = {"name": "IGH long", "germline": "human:IGH", "options": {"window_length": 80}}
    created = admin_api.post("/api/configs", json=body)
    assert created.status_code == 201, created.text
    config_id = created.json()["id"]
    edited = admin_api.patch(f"/api/configs/{config_id}", json={"options": {"top": 20}})
    assert edited.status_code == 200 and edited.json()["options"] == {"top": 20}
    assert admin_api.get(f"/api/configs/{config_id}").json()["name"] == "IGH long"
    assert admin_api.delete(f"/api/configs/{config_id}").status_code == 204
    assert admin_api.get(f"/api/configs/{config_id}").status_code == 404
    actions = [
        entry["action"]
        for entry in audit.entries(app.state.context.database, table_name="configs")
        if entry["record_id"] == config_id
    ]
    assert actions == ["delete_config", "edit_config", "create_config"]


def test_bad_configs_are_refused_with_their_reason(admin_api: Api) -> None:
    cases = [
        ({"name": "x", "germline": "human:XYZ"}, 422, "unknown locus"),
        ({"name": "x", "program": "mixcr"}, 400, "program must be"),
        ({"name": "x", "options": {"window": 50}}, 400, "unknown option"),
        ({"name": "x", "options": {"window_length": 5}}, 400, "at least 13"),
        ({"name": "x", "options": {"top": 1.5}}, 400, "whole number"),
        ({"name": "x", "options": {"unexpected": 1}}, 400, "true or false"),
        ({"name": "x", "options": {"top": 1e300}}, 400, "at most 9007199254740992"),
        ({"name": "x", "options": {"min_reads": 10**20}}, 400, "at most 9007199254740992"),
        ({"name": "x" * 201}, 400, "at most 200 characters"),
        ({"name": "two\nlines"}, 400, "control characters"),
        ({"name": "multi-locus"}, 409, "exists already"),
    ]
    for body, status, message in cases:
        response = admin_api.post("/api/configs", json=body)
        assert response.status_code == status, (body, response.text)
        assert message in response.json()["error"]["message"]


def test_users_list_configs_but_cannot_change_them(app: Litestar, admin_api: Api) -> None:
    _log_in_as_user(app, admin_api)
    assert len(admin_api.get("/api/configs").json()) >= 9
    assert admin_api.post("/api/configs", json={"name": "mine"}).status_code == 403
    assert admin_api.patch("/api/configs/1", json={"name": "mine"}).status_code == 403
    assert admin_api.delete("/api/configs/1").status_code == 403
    admin_api.post("/api/auth/logout")
    assert admin_api.get("/api/configs").status_code == 401
    assert admin_api.login(ADMIN["email"], ADMIN["password"]).status_code == 200


def test_a_config_with_results_cannot_be_deleted(app: Litestar, admin_api: Api) -> None:
    with app.state.context.database.write() as db:
        sample_id = db.table("samples").insert({"original_name": "a", "created_at": "x"}).last_pk
        db.table("results").insert(
            {"sample_id": sample_id, "config_id": 2, "created_at": "x", "folder": "f"}
        )
    response = admin_api.delete("/api/configs/2")
    assert response.status_code == 409 and "cannot be deleted" in response.text


def test_a_config_names_a_bundled_or_imported_set_never_a_path(admin_api: Api) -> None:
    files = {f"mini/{path.name}": path.read_bytes() for path in MINI.iterdir() if path.is_file()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        for name, content in files.items():
            zipped.writestr(name, content)
    imported = admin_api.post(
        "/api/germlines", params={"name": "mini-lab"}, content=buffer.getvalue()
    )
    assert imported.status_code == 201, imported.text
    created = admin_api.post("/api/configs", json={"name": "mini TRG", "germline": "mini-lab:TRG"})
    assert created.status_code == 201 and created.json()["germline"] == "mini-lab:TRG"
    preset = next(MINI.glob("*.g"))
    by_path = admin_api.post("/api/configs", json={"name": "x", "germline": str(preset)})
    assert by_path.status_code == 422 and "unknown germline set" in by_path.text
