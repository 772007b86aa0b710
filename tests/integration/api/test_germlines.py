"""Germline sets: list, import a zipped Vidjil folder (checked before it is kept), delete."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from pathlib import Path

import pytest

from tests.integration.api.conftest import Api, Lab
from vidjil_local.services.analyses import germlines
from vidjil_local.settings import Settings

MINI = Path(__file__).parents[2] / "data" / "germline" / "mini"


def archive(files: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        for name, content in files.items():
            zipped.writestr(name, content)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zipped.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def mini_files(prefix: str = "mini/") -> dict[str, bytes]:
    return {prefix + path.name: path.read_bytes() for path in MINI.iterdir() if path.is_file()}


def test_the_bundled_set_is_listed_with_its_loci(admin_api: Api) -> None:
    listed = admin_api.get("/api/germlines").json()
    human = next(item for item in listed if item["name"] == "human")
    assert human["bundled"] is True
    seven = {"IGH", "IGK", "IGL", "TRA", "TRB", "TRG", "TRD"}
    assert set(human["loci"]) == seven | {"IGH+", "TRA+D"}  # with its incomplete systems
    assert human["genes"]["IGH"] > 100


def test_import_use_in_a_config_and_delete(admin_api: Api, settings: Settings) -> None:
    imported = admin_api.post(
        "/api/germlines", params={"name": "mini-lab"}, content=archive(mini_files())
    )
    assert imported.status_code == 201, imported.text
    assert imported.json()["loci"] == ["IGH", "TRG"]
    assert [g["name"] for g in admin_api.get("/api/germlines").json()] == ["human", "mini-lab"]
    spec = germlines.resolve_spec(settings, "mini-lab:TRG")
    assert spec.endswith("mini.g:TRG") and Path(spec.split(":")[0]).is_file()
    assert admin_api.delete("/api/germlines/mini-lab").status_code == 204
    assert [g["name"] for g in admin_api.get("/api/germlines").json()] == ["human"]
    assert admin_api.delete("/api/germlines/human").status_code == 409
    assert admin_api.delete("/api/germlines/mini-lab").status_code == 404


def test_a_config_naming_no_germline_takes_the_default_germline_setting(admin_api: Api) -> None:
    imported = admin_api.post(
        "/api/germlines", params={"name": "mini-lab"}, content=archive(mini_files())
    )
    assert imported.status_code == 201, imported.text
    changed = admin_api.put("/api/admin/settings/default_germline", json={"value": "mini-lab:TRG"})
    assert changed.status_code == 200, changed.text
    body = {"name": "TRG (mini)", "program": "vidjil-local", "options": {}}
    created = admin_api.post("/api/configs", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["germline"] == "mini-lab:TRG"
    named = admin_api.post("/api/configs", json={**body, "name": "H", "germline": "human:IGH"})
    assert named.status_code == 201 and named.json()["germline"] == "human:IGH"
    admin_api.put("/api/admin/settings/default_germline", json={"value": "nowhere"})
    refused = admin_api.post("/api/configs", json={**body, "name": "TRG (nowhere)"})
    assert refused.status_code == 422 and "unknown germline set 'nowhere'" in refused.text
    names = [config["name"] for config in admin_api.get("/api/configs").json()]
    assert "TRG (nowhere)" not in names and "TRG (mini)" in names


@pytest.mark.parametrize(
    ("files", "links", "message"),
    [
        ({"../evil.g": b"{}"}, (), "unsafe path"),
        ({"/abs/evil.g": b"{}"}, (), "unsafe path"),
        ({**mini_files()}, ("mini/IGHV.fa.link",), "links are not allowed"),
        ({"readme.txt": b"no preset"}, (), "exactly one .g"),
        ({**mini_files(), "other/x.g": b"{}"}, (), "exactly one .g"),
        ({**mini_files(), "mini/IGHV.fa": b">broken\nACGT\n>\n"}, (), "IGHV.fa"),
        ({**mini_files(), "mini/IGHV.fa/inside.fa": b">x\nACGT\n"}, (), "both a file and"),
        ({**mini_files(), "mini/IGHJ.fa/": b""}, (), "both a file and"),
        ({**mini_files(), "mini/../mini/IGHJ.fa": b">x\n"}, (), "unsafe path"),
    ],
)
def test_bad_archives_are_refused_and_nothing_is_kept(
    admin_api: Api,
    settings: Settings,
    files: dict[str, bytes],
    links: tuple[str, ...],
    message: str,
) -> None:
    response = admin_api.post(
        "/api/germlines", params={"name": "bad"}, content=archive(files, links)
    )
    assert response.status_code in {400, 422}, response.text
    assert message in response.json()["error"]["message"]
    assert not (settings.data_dir / "../evil.g").exists()
    assert not (germlines.folder(settings) / "bad").exists()
    assert [p.name for p in germlines.folder(settings).iterdir()] == []


def test_not_a_zip_and_bad_names(admin_api: Api) -> None:
    not_zip = admin_api.post("/api/germlines", params={"name": "x"}, content=b"plain text")
    assert not_zip.status_code == 400 and "not a zip" in not_zip.json()["error"]["message"]
    for name in ("../up", "Human", "human", "a" * 41, ""):
        response = admin_api.post(
            "/api/germlines", params={"name": name}, content=archive(mini_files())
        )
        assert response.status_code in {400, 409}, (name, response.text)


def test_only_admins_import_or_delete(lab: Lab) -> None:
    user = lab.user("user@lab.example", lab.group("users", ("read", "create")))
    assert user.get("/api/germlines").status_code == 200
    refused = user.post("/api/germlines", params={"name": "x"}, content=archive(mini_files()))
    assert refused.status_code == 403
    assert user.delete("/api/germlines/human").status_code == 403


def test_a_logged_in_user_reads_germline_gene_sequences(lab: Lab, api: Api) -> None:
    user = lab.user("bio@lab.example", lab.group("biologists", ("read",)))
    answer = user.get(
        "/api/germlines/human/genes", params={"genes": "IGHV3-23*01, IGHJ4*02,IGHV99-1*01"}
    )
    assert answer.status_code == 200, answer.text
    genes = answer.json()["genes"]
    assert sorted(genes) == ["IGHJ4*02", "IGHV3-23*01"]  # the unknown gene is left out
    assert genes["IGHV3-23*01"].startswith("GAGGTGCAGCTGTTGGAGTCTGGG")  # EVQLLESG
    assert genes["IGHJ4*02"] == "ACTACTTTGACTACTGGGGCCAGGGAACCCTGGTCACCGTCTCCTCAG"


@pytest.mark.parametrize(
    ("path", "genes", "status"),
    [
        ("/api/germlines/nowhere/genes", "IGHJ4*02", 404),
        ("/api/germlines/human/genes", "", 400),
        ("/api/germlines/human/genes", ",".join(f"IGHV1-{i}*01" for i in range(51)), 400),
    ],
)
def test_germline_genes_refused_with_a_reason(
    admin_api: Api, path: str, genes: str, status: int
) -> None:
    answer = admin_api.get(path, params={"genes": genes})
    assert answer.status_code == status
    assert answer.json()["error"]["message"]


def test_germline_genes_need_a_login(api: Api) -> None:
    assert api.get("/api/germlines/human/genes", params={"genes": "IGHJ4*02"}).status_code == 401


def preset_pointing_to(folder: str, file_prefix: str = "") -> bytes:
    preset = json.loads((MINI / "mini.g").read_text())
    preset["path"] = folder
    for system in preset["systems"].values():
        for recombination in system["recombinations"]:
            for key, names in recombination.items():
                recombination[key] = [file_prefix + name for name in names]
    return json.dumps(preset).encode()


@pytest.mark.parametrize("where", ["absolute", "parent", "file names"])
def test_a_preset_naming_files_outside_its_archive_is_refused(
    admin_api: Api, settings: Settings, tmp_path: Path, where: str
) -> None:
    """Valid germline files elsewhere on the disk: a preset of an imported set may not read
    them (its paths once could name any file the server can read)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    for path in MINI.glob("*.fa"):
        (outside / path.name).write_bytes(path.read_bytes())
    files = mini_files()
    files["mini/mini.g"] = {
        "absolute": preset_pointing_to(str(outside)),
        "parent": preset_pointing_to("../" * 12 + str(outside).lstrip("/")),
        "file names": preset_pointing_to(".", "../" * 12 + str(outside).lstrip("/") + "/"),
    }[where]
    response = admin_api.post("/api/germlines", params={"name": "escape"}, content=archive(files))
    assert response.status_code == 422, response.text
    message = response.json()["error"]["message"]
    assert "outside" in message and str(settings.data_dir) not in message
    assert not (germlines.folder(settings) / "escape").exists()
