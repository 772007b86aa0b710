"""The network file source: listing inside the folder only, linking (not copying) picked files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from litestar import Litestar

from tests.conftest import local_client
from tests.integration.api.conftest import ADMIN, Api, Lab
from tests.integration.api.test_samples import ALL_RIGHTS, DATA, new_set
from vidjil_local.api.app import create_app
from vidjil_local.errors import PermissionDenied
from vidjil_local.services.analyses import configs, params, shipping, work
from vidjil_local.services.analyses.params import AnalysisParams
from vidjil_local.services.confinement import check_still_inside
from vidjil_local.services.samples import samples
from vidjil_local.settings import Settings


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """run1/ (a pair, a note, a hidden file), run2/ (a bad FASTQ), a gzip at the top, and two
    symlinks leading out of the folder."""
    root, outside = tmp_path / "nas", tmp_path / "outside"
    (root / "run1").mkdir(parents=True)
    (root / "run2").mkdir()
    outside.mkdir()
    (root / "run1" / "a_R1.fastq").write_bytes((DATA / "r1.fastq").read_bytes())
    (root / "run1" / "a_R2.fastq").write_bytes((DATA / "r2.fastq").read_bytes())
    (root / "run1" / "notes.txt").write_text("not reads")
    (root / "run1" / ".hidden.fastq").write_bytes((DATA / "good.fastq").read_bytes())
    (root / "run2" / "bad.fastq").write_bytes((DATA / "bad_line_11.fastq").read_bytes())
    (root / "top.FASTQ").write_bytes((DATA / "good.fastq").read_bytes())
    (outside / "secret.fastq").write_bytes((DATA / "good.fastq").read_bytes())
    os.symlink(outside, root / "escape")
    os.symlink(outside / "secret.fastq", root / "link.fastq")
    return root


@pytest.fixture
def settings(settings: Settings, source: Path) -> Settings:
    return settings.with_values(file_source=source)


class SilentReporter:
    """The job's `Reporter` as the child process gives it: progress unheard, two cores."""

    def __call__(self, fraction: float) -> None:
        pass

    def cores(self) -> int:
        return 2


def names(api: Api, path: str = "") -> list[str]:
    response = api.get("/api/files/source", params={"path": path})
    assert response.status_code == 200, response.text
    return [
        entry["name"] + ("/" if entry["is_folder"] else "") for entry in response.json()["entries"]
    ]


def test_listing_shows_folders_and_reads_files_only(admin_api: Api) -> None:
    assert names(admin_api) == ["run1/", "run2/", "top.FASTQ"]
    assert names(admin_api, "run1") == ["a_R1.fastq", "a_R2.fastq"]
    assert admin_api.get("/api/files/source").json()["path"] == ""
    assert admin_api.get("/api/files/source", params={"path": "run1/"}).json()["path"] == "run1"
    entry = admin_api.get("/api/files/source", params={"path": "run1"}).json()["entries"][0]
    assert entry == {
        "name": "a_R1.fastq",
        "path": "run1/a_R1.fastq",
        "is_folder": False,
        "size": (DATA / "r1.fastq").stat().st_size,
    }


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("..", 403),
        ("run1/../..", 403),
        ("escape", 403),
        ("/etc", 403),
        ("nothing-here", 404),
        ("run1\x00", 400),
        ("run1/a_R1.fastq", 400),
    ],
)
def test_paths_leading_out_are_refused(admin_api: Api, path: str, status: int) -> None:
    response = admin_api.get("/api/files/source", params={"path": path})
    assert response.status_code == status, response.text


def test_no_source_configured_is_not_found(settings: Settings) -> None:
    with local_client(
        create_app(settings.with_values(file_source=None), start_jobs=False)
    ) as client:
        api = Api(client)
        assert api.post("/api/auth/setup", json=ADMIN).status_code == 201
        response = api.get("/api/files/source")
        assert response.status_code == 404 and "file_source" in response.text


def test_users_who_cannot_upload_cannot_browse(lab: Lab) -> None:
    readers = lab.user("reader@lab.example", lab.group("readers", ("read",)))
    assert readers.get("/api/files/source").status_code == 403


def test_a_picked_pair_is_linked_not_copied(admin_api: Api, lab: Lab, source: Path) -> None:
    set_id = new_set(admin_api, lab.group("lab", ALL_RIGHTS))
    response = admin_api.post(
        f"/api/sample-sets/{set_id}/samples/from-source",
        json={"paths": ["run1/a_R1.fastq", "run1/a_R2.fastq"], "paired": True, "info": "#nas"},
    )
    assert response.status_code == 201, response.text
    [sample] = response.json()
    assert sample["network"] is True and sample["status"] == "ready" and sample["paired"]
    assert (sample["original_name"], sample["original_name2"]) == ("a_R1.fastq", "a_R2.fastq")
    stored = lab.database.db().execute(
        "SELECT stored_name, stored_name2, network FROM samples WHERE id = ?", [sample["id"]]
    )
    assert stored.fetchone() == (
        str(source / "run1" / "a_R1.fastq"),
        str(source / "run1" / "a_R2.fastq"),
        1,
    )
    settings = lab.app.state.context.settings
    assert list(settings.sequences_dir.iterdir()) == [], "linked, not copied"
    download = admin_api.get(f"/api/samples/{sample['id']}/files/2")
    assert download.content == (DATA / "r2.fastq").read_bytes()
    assert admin_api.delete(f"/api/samples/{sample['id']}").json()["status"] == "deleted"
    assert (source / "run1" / "a_R1.fastq").exists(), "the source's files are not ours to delete"


def test_several_picked_pairs_make_one_named_sample_each(
    admin_api: Api, lab: Lab, source: Path
) -> None:
    """Paired mode takes the paths two by two (R1 then R2), each pair named as the lab said and
    each file keeping its own name."""
    (source / "run1" / "b_1.fq").write_bytes((DATA / "r1.fastq").read_bytes())
    (source / "run1" / "b_2.fq").write_bytes((DATA / "r2.fastq").read_bytes())
    set_id = new_set(admin_api, lab.group("lab", ALL_RIGHTS))
    paths = ["run1/a_R1.fastq", "run1/a_R2.fastq", "run1/b_1.fq", "run1/b_2.fq"]
    response = admin_api.post(
        f"/api/sample-sets/{set_id}/samples/from-source",
        json={"paths": paths, "paired": True, "names": ["a.fastq", "patient b.fq"]},
    )
    assert response.status_code == 201, response.text
    made = [
        (s["original_name"], s["original_name1"], s["original_name2"], s["status"])
        for s in response.json()
    ]
    assert made == [
        ("a.fastq", "a_R1.fastq", "a_R2.fastq", "ready"),
        ("patient b.fq", "b_1.fq", "b_2.fq", "ready"),
    ]
    [second] = [s for s in response.json() if s["original_name"] == "patient b.fq"]
    download = admin_api.get(f"/api/samples/{second['id']}/files/1")
    assert download.content == (DATA / "r1.fastq").read_bytes()
    assert 'filename="b_1.fq"' in download.headers["content-disposition"]


def test_picked_pairs_are_refused_whole_when_one_is_wrong(
    admin_api: Api, lab: Lab, source: Path
) -> None:
    (source / "run1" / "c_R2.fastq").write_bytes((DATA / "r2_not_mates.fastq").read_bytes())
    set_id = new_set(admin_api, lab.group("lab", ALL_RIGHTS))
    url = f"/api/sample-sets/{set_id}/samples/from-source"
    pair, not_mates = ["run1/a_R1.fastq", "run1/a_R2.fastq"], ["run1/a_R1.fastq", "run1/c_R2.fastq"]
    refusals = [
        ({"paths": [*pair, "top.FASTQ"], "paired": True}, 400, "two by two"),
        ({"paths": [*pair, "top.FASTQ", "./top.FASTQ"], "paired": True}, 400, "both R1 and R2"),
        ({"paths": pair, "paired": True, "names": ["a", "b"]}, 400, "2 names given for 1"),
        ({"paths": pair, "paired": True, "names": ["a\u202eqf.exe"]}, 400, "control characters"),
        ({"paths": pair, "paired": True, "names": ["../.."]}, 400, "not a file name"),
        ({"paths": pair, "names": ["a", "b"]}, 400, "names are for paired samples"),
        ({"paths": [*pair, *not_mates], "paired": True}, 422, "c_R2.fastq:"),
    ]
    for body, status, message in refusals:
        response = admin_api.post(url, json=body)
        assert response.status_code == status, response.text
        assert message in response.json()["error"]["message"], response.text
    assert admin_api.get(f"/api/sample-sets/{set_id}/samples").json() == [], "nothing half-made"


def test_picked_files_are_checked_like_uploads(admin_api: Api, lab: Lab) -> None:
    set_id = new_set(admin_api, lab.group("lab", ALL_RIGHTS))
    url = f"/api/sample-sets/{set_id}/samples/from-source"
    bad = admin_api.post(url, json={"paths": ["top.FASTQ", "run2/bad.fastq"]})
    assert bad.status_code == 422
    assert bad.json()["error"]["message"].startswith("bad.fastq:11: Line expected")
    assert admin_api.post(url, json={"paths": ["link.fastq"]}).status_code == 403
    assert admin_api.post(url, json={"paths": ["run1/notes.txt"]}).status_code == 400
    uneven = admin_api.post(url, json={"paths": ["top.FASTQ", "run1/a_R2.fastq"], "paired": True})
    assert uneven.status_code == 422
    assert admin_api.get(f"/api/sample-sets/{set_id}/samples").json() == [], "nothing half-made"
    two = admin_api.post(url, json={"paths": ["top.FASTQ", "run1/a_R1.fastq"]})
    assert two.status_code == 201 and [s["original_name"] for s in two.json()] == [
        "top.FASTQ",
        "a_R1.fastq",
    ]


def test_no_link_without_the_upload_right(lab: Lab, admin_api: Api, app: Litestar) -> None:
    readers = lab.group("readers", ("read",))
    set_id = new_set(admin_api, readers)
    reader = lab.user("reader@lab.example", readers)
    response = reader.post(
        f"/api/sample-sets/{set_id}/samples/from-source", json={"paths": ["top.FASTQ"]}
    )
    assert response.status_code == 403


def test_a_folder_swapped_for_a_link_after_picking_serves_nothing_outside(
    admin_api: Api, lab: Lab, source: Path, tmp_path: Path
) -> None:
    """A linked file is checked again when it is read: run1/ replaced by a link to another
    folder holding a file of the same name must not serve that file, nor analyse it."""
    set_id = new_set(admin_api, lab.group("lab", ALL_RIGHTS))
    response = admin_api.post(
        f"/api/sample-sets/{set_id}/samples/from-source", json={"paths": ["run1/a_R1.fastq"]}
    )
    [sample] = response.json()
    database, settings = lab.database, lab.app.state.context.settings
    row = samples.row_of(database.db(), sample["id"])
    queued = params.analysis_params(settings, config=configs.get(database, 2), sample=row, job_id=1)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a_R1.fastq").write_bytes((DATA / "good.fastq").read_bytes())
    (source / "run1").rename(source / "run1.old")
    os.symlink(elsewhere, source / "run1")

    download = admin_api.get(f"/api/samples/{sample['id']}/files/1")
    assert download.status_code == 403, download.text
    assert "a_R1.fastq no longer leads to a file inside" in download.json()["error"]["message"]
    assert str(source) not in download.text and str(elsewhere) not in download.text
    refused = admin_api.post(
        f"/api/sample-sets/{set_id}/analyses", json={"config_id": 2, "sample_ids": [sample["id"]]}
    )
    assert refused.status_code == 403, refused.text
    with pytest.raises(PermissionDenied, match=r"a_R1\.fastq no longer leads"):
        work.run_analysis(queued, SilentReporter())  # queued before the swap
    assert not queued.output_dir.exists()


def test_a_worker_machine_checks_its_copy_of_a_linked_file_not_the_server_s_folder(
    admin_api: Api, lab: Lab, tmp_path: Path
) -> None:
    """A linked file shipped to a worker machine: there, the file source is the `reads/` folder
    of the job, so its downloaded copy passes the check (the server's folder is not there)."""
    set_id = new_set(admin_api, lab.group("lab", ALL_RIGHTS))
    response = admin_api.post(
        f"/api/sample-sets/{set_id}/samples/from-source", json={"paths": ["run1/a_R1.fastq"]}
    )
    [sample] = response.json()
    database, settings = lab.database, lab.app.state.context.settings
    row = samples.row_of(database.db(), sample["id"])
    queued = params.analysis_params(settings, config=configs.get(database, 2), sample=row, job_id=1)
    assert queued.reads_root is not None
    shipped = shipping.shipment(database, settings, queued)

    folder = (tmp_path / "worker" / "jobs" / "1-1").resolve()  # as worker_machine.py fills it
    on_worker = queued.model_dump(mode="json")
    for field, relative in shipped.fields.items():
        on_worker[field] = str(folder / relative) if relative != "." else str(folder)
    for file in shipped.files:
        (folder / file.name).parent.mkdir(parents=True, exist_ok=True)
        (folder / file.name).write_bytes(file.path.read_bytes())
    worker_params = AnalysisParams.model_validate(on_worker)
    assert worker_params.reads_root == folder / "reads"
    check_still_inside(worker_params.reads_path, worker_params.reads_root, "a_R1.fastq")
