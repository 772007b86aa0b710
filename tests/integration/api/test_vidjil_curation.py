"""What a Vidjil user added to a `.vidjil` (clone names, tags, clusters) survives its import:
uploaded to a set and imported, the set's fused result shows them as Vidjil did, and the set's
analysis (none saved yet) leaves them in place; a saved analysis then wins over the file's."""

from __future__ import annotations

import json
from typing import Any

from tests.integration.api.conftest import Api, Lab
from tests.integration.api.test_vidjil_samples import VIDJIL, Patient

FIXTURE = VIDJIL / "named_tagged_clustered.vidjil"


def by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {clone["id"]: clone for clone in document["clones"]}


def test_names_tags_and_clusters_of_an_imported_vidjil_file_reach_the_sets_results(
    admin_api: Api, lab: Lab
) -> None:
    given = json.loads(FIXTURE.read_text())
    leukemic, subclone, spike, plain = (clone["id"] for clone in given["clones"])
    patient = Patient(admin_api, lab)
    first, answer = patient.upload(FIXTURE.name, FIXTURE.read_bytes())
    assert answer.status_code == 200, answer.text
    assert len(patient.samples()) == 3

    fused = patient.import_all()
    clones = by_id(fused)
    assert clones[leukemic]["name"] == "leukemic clone P07" and clones[leukemic]["tag"] == 0
    assert clones[subclone]["name"] == "P07 subclone" and clones[subclone]["tag"] == 1
    assert clones[spike]["name"] == "IGH spike" and clones[spike]["tag"] == 6
    assert "tag" not in clones[plain]
    # the two clones never share a sample yet stay one cluster; the others merge nothing
    assert fused["clusters"] == [[leukemic, subclone]]
    assert clones[leukemic]["reads"] == [5000, 40, 0] and clones[subclone]["reads"] == [0, 0, 7]

    # each sample's own result keeps them too (its clones' names and tags, the file's clusters)
    own = patient.result_of(first)
    assert by_id(own)[leukemic]["tag"] == 0 and subclone not in by_id(own)
    assert [leukemic, subclone] in own["clusters"]

    # no analysis saved: nothing in it overrides the result's clusters, names or tags
    url = f"/api/sample-sets/{patient.set_id}/analysis"
    unsaved = admin_api.get(url)
    assert "clusters" not in unsaved.json() and "clones" not in unsaved.json()
    assert "x-analysis-version" not in unsaved.headers

    # the user's own save is what the viewer reads from then on
    mine = {"clones": [{"id": leukemic, "name": "renamed", "tag": 3}], "clusters": []}
    assert admin_api.post(url, json=mine).status_code == 201
    assert admin_api.get(url).json() == mine
