"""The HRIS sync in a real browser: the organisation's admin previews a file and approves it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from personas import PASSWORD
from upward.directory.models import Organisation
from upward.directory.synthetic import generate_people, to_csv_bytes


def test_org_admin_previews_an_hris_file_on_a_phone_and_approves_it(
    journey: Any, org_admin: Any, org_a: Organisation, tmp_path: Path
) -> None:
    rows = generate_people(60, seed=3, domain="northwind.example", prefix="NO")
    rows[20]["department"] = "Moved department"
    rows = rows[:-1]  # the last person has left
    rows.append({**rows[30], "employee_id": "HIRE1", "name": "Robin Newhire"})
    upload = tmp_path / "hris.csv"
    upload.write_bytes(to_csv_bytes(rows))

    admin = journey(width=390, height=844, mobile=True)
    admin.sign_in(org_admin.email, PASSWORD, totp_secret=org_admin.totp_secret)
    admin.visit("/organisations/northwind/people/")
    admin.page.get_by_role("link", name="HRIS sync").click()
    admin.page.wait_for_load_state("networkidle")
    admin.check_accessibility()
    admin.page.get_by_label("Directory file").set_input_files(str(upload))
    admin.page.get_by_role("button", name="Check the file").click()
    admin.page.wait_for_load_state("networkidle")
    admin.check_accessibility()
    text = admin.page.locator("main").inner_text()
    assert "Waiting for approval" in text
    assert "Moved department" in text
    admin.shot("hris-sync-preview")
    admin.page.get_by_role("link", name="New people").click()
    admin.page.wait_for_load_state("networkidle")
    admin.check_accessibility()
    assert "Robin Newhire" in admin.page.locator("main").inner_text()
    before = org_a.people.count()

    admin.page.get_by_role("button", name="Apply these changes").click()
    admin.page.wait_for_load_state("networkidle")
    admin.check_accessibility()
    assert "Applied" in admin.page.locator("main").inner_text()
    assert org_a.people.count() == before + 1
    assert org_a.people.filter(active=False).count() == 1
