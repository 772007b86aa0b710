"""Configs per group (Vidjil's `read` permission on a config): an administrator offers a config to
chosen groups; other users neither list nor use it, and it is "not found" for them."""

from __future__ import annotations

from tests.integration.api.conftest import Api, Lab
from vidjil_local.services import audit


def _config_id(api: Api, name: str) -> int:
    return int(next(c["id"] for c in api.get("/api/configs").json() if c["name"] == name))


def _names(api: Api) -> set[str]:
    return {config["name"] for config in api.get("/api/configs").json()}


def test_existing_configs_stay_offered_to_everyone(lab: Lab, admin_api: Api) -> None:
    user = lab.user("tech@lab.example", lab.group("haematology", ("read",)))
    listed = user.get("/api/configs").json()
    assert {"multi-locus", "IGH", "import"} <= {config["name"] for config in listed}
    assert all(config["everyone"] and config["group_ids"] == [] for config in listed)


def test_a_config_limited_to_one_group_is_invisible_to_another(lab: Lab, admin_api: Api) -> None:
    haematology = lab.group("haematology", ("read", "create", "run", "upload"))
    research = lab.group("research", ("read", "create", "run", "upload"))
    clinician = lab.user("clinician@lab.example", haematology)
    researcher = lab.user("researcher@lab.example", research)
    config_id = _config_id(admin_api, "TRG")

    offered = admin_api.put(
        f"/api/configs/{config_id}/groups", json={"everyone": False, "group_ids": [haematology]}
    )
    assert offered.status_code == 200, offered.text
    assert offered.json()["everyone"] is False and offered.json()["group_ids"] == [haematology]

    assert "TRG" in _names(clinician) and "TRG" in _names(admin_api)
    assert "TRG" not in _names(researcher)
    assert clinician.get(f"/api/configs/{config_id}").status_code == 200
    hidden = researcher.get(f"/api/configs/{config_id}")
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "not_found"

    # nor can it be launched by the group it is not offered to
    set_id = researcher.post("/api/sample-sets", json={"kind": "generic", "name": "run"}).json()[
        "id"
    ]
    launched = researcher.post(f"/api/sample-sets/{set_id}/analyses", json={"config_id": config_id})
    assert launched.status_code == 404, launched.text

    back = admin_api.put(f"/api/configs/{config_id}/groups", json={"everyone": True})
    assert back.status_code == 200 and back.json()["group_ids"] == []
    assert "TRG" in _names(researcher)
    actions = [
        entry["action"]
        for entry in audit.entries(lab.database, table_name="configs")
        if entry["record_id"] == config_id
    ]
    assert actions == ["offer_config", "offer_config"]


def test_a_restricted_config_stays_restricted_when_its_group_goes(lab: Lab, admin_api: Api) -> None:
    temporary = lab.group("temporary", ("read",))
    other = lab.user("other@lab.example", lab.group("other", ("read",)))
    config_id = _config_id(admin_api, "TRD")
    body = {"everyone": False, "group_ids": [temporary]}
    assert admin_api.put(f"/api/configs/{config_id}/groups", json=body).status_code == 200
    assert admin_api.delete(f"/api/groups/{temporary}").status_code == 204
    config = admin_api.get(f"/api/configs/{config_id}").json()
    assert config["everyone"] is False and config["group_ids"] == []
    assert "TRD" not in _names(other)


def test_offering_is_for_administrators_and_checks_its_groups(lab: Lab, admin_api: Api) -> None:
    group = lab.group("haematology", ("read", "admin"))
    user = lab.user("tech@lab.example", group)
    config_id = _config_id(admin_api, "IGK")
    body = {"everyone": False, "group_ids": [group]}
    assert user.put(f"/api/configs/{config_id}/groups", json=body).status_code == 403
    unknown = admin_api.put(
        f"/api/configs/{config_id}/groups", json={"everyone": False, "group_ids": [9999]}
    )
    assert unknown.status_code == 404 and "9999" in unknown.json()["error"]["message"]
    assert admin_api.put("/api/configs/9999/groups", json=body).status_code == 404
    extra = admin_api.put(f"/api/configs/{config_id}/groups", json={**body, "all": True})
    assert extra.status_code == 400
