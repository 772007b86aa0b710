"""Sharing a set from its page as a user who is not an administrator, in Chromium against a real
`vidjil-local serve`: the lead of the "haematology" group holds `admin` on the group's patient,
sees **Groups that own this set** offering only the groups the server would accept (their own,
within their rights on the set), gets the server's refusal in the panel, and shares the set with
the "mrd" group. A member of "mrd", who only reads the set, then sees it but not the control."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import ClientPage
from .test_lab_pages import LAB, ensure_admin, lab_server, log_in, only_refusals_logged
from .test_lab_tools import Session

pytestmark = [pytest.mark.browser, pytest.mark.slow]

__all__ = ["lab_server"]

LEAD = {"email": "lead@lab.example", "password": "flow cytometer 9"}
READER = {"email": "reader@lab.example", "password": "quiet bench reader"}
# No `anon`: the lead's personal group (every right) would give them it, so it is not offered.
LEAD_RIGHTS = ["read", "create", "upload", "run", "save", "admin"]


@pytest.fixture(scope="module")
def lab(lab_server: str) -> Iterator[dict[str, Any]]:
    ensure_admin(lab_server)
    admin = Session(lab_server)

    def group(name: str, rights: list[str]) -> int:
        created = admin.send("POST", "api/groups", json={"name": name, "rights": rights})
        return int(created["group"]["id"])

    haematology = group("haematology", LEAD_RIGHTS)
    mrd = group("mrd", ["read"])
    research = group("research", ["read"])
    admin.send("POST", "api/users", json={**LEAD, "group_ids": [haematology, mrd]})
    admin.send("POST", "api/users", json={**READER, "group_ids": [mrd]})
    lead = Session(lab_server, LEAD["email"], LEAD["password"])
    body = {"kind": "patient", "first_name": "Ada", "last_name": "Byron", "group_id": haematology}
    patient = int(lead.send("POST", "api/sample-sets", json=body)["id"])
    yield {
        "url": lab_server,
        "admin": admin,
        "patient": patient,
        "groups": {"haematology": haematology, "mrd": mrd, "research": research},
    }


def test_a_set_admin_shares_the_set_with_one_of_their_groups(
    client: ClientPage, lab: dict[str, Any]
) -> None:
    page = client.page
    page.goto(lab["url"] + f"#/set?id={lab['patient']}")
    log_in(page, LEAD["email"], LEAD["password"])
    sharing = page.locator(".sharing")
    expect(sharing.get_by_role("heading", name="Groups that own this set")).to_be_visible()
    boxes = sharing.get_by_role("checkbox")
    # Offered: their own groups within their rights; not their personal group (it holds `anon`,
    # which they lack on the set), nor "research" (they are not in it).
    expect(boxes).to_have_count(2)
    expect(sharing.get_by_label("haematology")).to_be_checked()
    expect(sharing.get_by_label("mrd")).not_to_be_checked()
    expect(sharing.get_by_label("research")).to_have_count(0)

    sharing.get_by_label("haematology").uncheck()
    sharing.get_by_role("button", name="Save the groups").click()
    refusal = sharing.get_by_role("alert")
    expect(refusal).to_have_text("a sample set must belong to at least one group")
    only_refusals_logged(client, "400")

    sharing.get_by_label("haematology").check()
    sharing.get_by_label("mrd").check()
    sharing.get_by_role("button", name="Save the groups").click()
    expect(sharing.get_by_role("status")).to_have_text("Owned by haematology, mrd.")
    shown = lab["admin"].send("GET", f"api/sample-sets/{lab['patient']}")
    assert shown["groups"] == sorted([lab["groups"]["haematology"], lab["groups"]["mrd"]])
    page.get_by_role("button", name="Log out").click()

    log_in(page, READER["email"], READER["password"])
    page.goto(lab["url"] + f"#/set?id={lab['patient']}")
    # The page is drawn at once: its Samples section shown, the sharing panel would be too.
    expect(page.get_by_role("heading", name="Samples", exact=True)).to_be_visible()
    expect(page.locator(".sharing")).to_have_count(0)
    assert Session(lab["url"], READER["email"], READER["password"]).send(
        "GET", f"api/sample-sets/{lab['patient']}"
    )["rights"] == ["read"]


def test_the_set_page_offers_only_what_the_user_s_rights_allow(
    client: ClientPage, lab: dict[str, Any]
) -> None:
    """A member of a group that only reads a shared patient was offered Launch analysis, Rerun,
    Delete, Add to another set, the sampling dates and Add samples, each refused once clicked
    ("you do not have the 'run' right on sample set 1"); the lead still has them all."""
    lead = Session(lab["url"], LEAD["email"], LEAD["password"])
    set_path = f"api/sample-sets/{lab['patient']}"
    body = {"original_name": "diagnosis.fastq.gz", "sampling_date": "2026-01-05"}
    sample = lead.send("POST", f"{set_path}/samples", json=body)
    content = (LAB / "diagnosis.fastq.gz").read_bytes()
    lead.send("PUT", f"api/samples/{sample['id']}/files/1", content=content)
    configs = {config["name"]: config["id"] for config in lead.send("GET", "api/configs")}
    lead.send("POST", f"{set_path}/analyses", json={"config_id": configs["IGH"]})

    page = client.page
    page.goto(lab["url"] + f"#/set?id={lab['patient']}")
    log_in(page, LEAD["email"], LEAD["password"])
    row = page.locator(f'tr[data-sample="{sample["id"]}"]')
    expect(row.get_by_role("button", name="Delete")).to_be_visible()
    expect(row.get_by_label("Sampling date of diagnosis.fastq.gz")).to_have_value("2026-01-05")
    expect(page.get_by_role("button", name="Launch analysis")).to_be_visible()
    expect(page.get_by_role("heading", name="Add samples")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, READER["email"], READER["password"])
    page.goto(lab["url"] + f"#/set?id={lab['patient']}")
    expect(row).to_contain_text("2026-01-05")
    expect(page.locator("tr[data-job]").first).to_be_visible()
    expect(row.get_by_role("button")).to_have_count(0)
    expect(row.locator("input")).to_have_count(0)
    expect(page.locator("tr[data-job]").get_by_role("button")).to_have_count(0)
    expect(page.get_by_role("button", name="Launch analysis")).to_have_count(0)
    expect(page.get_by_role("heading", name="Add samples")).to_have_count(0)
    # Nor Edit and Delete in the list of patients (they need the admin right on the set).
    page.goto(lab["url"] + "#/patients")
    listed = page.locator("tr", has_text="Byr")  # a pseudonym: the reader lacks `anon`
    expect(listed).to_be_visible()
    expect(listed.get_by_role("button")).to_have_count(0)
