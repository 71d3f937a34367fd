"""Journeys through sign-in and the directory, in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from personas import PASSWORD
from upward.directory.models import Organisation

CSV = (
    "employee_id,name,email,job_title,grade,grade_level,department,manager_employee_id\n"
    "J2,Jamie Doe,jamie@northwind.example,Analyst,Associate,3,Finance,J1\n"
    "J1,Kai Moreno,kai@northwind.example,Finance Director,Director,8,Finance,\n"
)


def test_org_admin_signs_in_with_mfa_and_imports_the_directory(
    journey: Any, org_admin: Any, org_a: Organisation, tmp_path: Path
) -> None:
    admin = journey()
    admin.sign_in(org_admin.email, PASSWORD, totp_secret=org_admin.totp_secret)
    admin.visit("/", shot="dashboard-org-admin")
    # Wait for each click's page to arrive before checking it: checking while the next page is
    # still loading reads a document without a body.
    with admin.page.expect_navigation():
        admin.page.get_by_role("link", name="Organisations").click()
    admin.check_accessibility()
    with admin.page.expect_navigation():
        admin.page.get_by_role("link", name="Import directory").first.click()
    admin.check_accessibility()

    upload = tmp_path / "people.csv"
    upload.write_text(CSV)
    admin.page.get_by_label("Directory file").set_input_files(str(upload))
    admin.page.get_by_role("button", name="Check the file").click()
    admin.page.wait_for_load_state("networkidle")
    admin.check_accessibility()
    body = admin.page.locator("main").inner_text()
    assert "Ready to apply" in body
    assert "New people\n2" in body or "New people\t2" in body
    admin.shot("directory-import-preview")
    before = org_a.people.count()

    admin.page.get_by_role("button", name="Apply this import").click()
    admin.page.wait_for_load_state("networkidle")
    admin.page.get_by_text("The directory is up to date").wait_for()
    admin.check_accessibility()
    assert org_a.people.count() == before + 2

    admin.visit("/organisations/northwind/people/?q=Jamie", shot="directory-people")
    admin.page.get_by_role("link", name="Jamie Doe").click()
    admin.page.wait_for_load_state("networkidle")
    admin.check_accessibility()
    assert "Kai Moreno" in admin.page.locator("main").inner_text()


def test_bad_file_shows_rows_and_changes_nothing(
    journey: Any, org_admin: Any, org_a: Organisation, tmp_path: Path
) -> None:
    admin = journey()
    admin.sign_in(org_admin.email, PASSWORD, totp_secret=org_admin.totp_secret)
    admin.goto("/organisations/northwind/import/")
    upload = tmp_path / "bad.csv"
    upload.write_text("employee_id,name,manager_employee_id\nL1,Lee,L2\nL2,Lou,L1\n")
    before = org_a.people.count()
    admin.page.get_by_label("Directory file").set_input_files(str(upload))
    admin.page.get_by_role("button", name="Check the file").click()
    admin.page.wait_for_load_state("networkidle")
    admin.check_accessibility()
    text = admin.page.locator("main").inner_text()
    assert "Nothing was imported" in text
    assert "the reporting line loops back" in text
    assert admin.page.get_by_role("button", name="Apply this import").count() == 0
    assert org_a.people.count() == before


def test_admin_of_another_organisation_is_refused(
    journey: Any, org_admin_b: Any, org_a: Organisation, org_b: Organisation
) -> None:
    other = journey()
    other.sign_in(org_admin_b.email, PASSWORD, totp_secret=org_admin_b.totp_secret)
    someone = org_a.people.first()
    assert someone is not None
    for path in (
        "/organisations/northwind/people/",
        f"/organisations/northwind/people/{someone.pk}/",
        "/organisations/northwind/import/",
    ):
        response = other.goto(path)
        assert response.status == 404, path
    other.visit("/organisations/", shot="organisations-other-admin")
    text = other.page.locator("main").inner_text()
    assert "Riverside Council" in text and "Northwind" not in text


def test_wrong_code_keeps_the_coordinator_out(journey: Any, coordinator: Any) -> None:
    person = journey()
    person.goto("/accounts/login/")
    person.check_accessibility()
    person.shot("sign-in")
    person.page.get_by_label("Email").fill(coordinator.email)
    person.page.get_by_label("Password").fill(PASSWORD)
    person.page.get_by_role("button", name="Sign in").click()
    person.page.get_by_label("Authenticator code").fill("000000")
    person.page.get_by_role("button", name="Sign in").click()
    person.page.wait_for_load_state("networkidle")
    assert person.path() == "/accounts/2fa/authenticate/"
    assert "Incorrect code" in person.page.locator("main").inner_text()
    person.check_accessibility()
    # The home page is out of reach until the code is right.
    person.goto("/")
    assert person.path() in {"/accounts/2fa/authenticate/", "/accounts/login/"}


def test_phone_sized_dashboard_and_profile(journey: Any, leader: Any) -> None:
    phone = journey(width=390, height=844, mobile=True)
    phone.sign_in(leader.email, PASSWORD)
    phone.visit("/", shot="dashboard-leader-phone")
    phone.page.get_by_role("link", name="My profile").click()
    phone.page.wait_for_load_state("networkidle")
    phone.check_accessibility()
    assert leader.person.name in phone.page.locator("main").inner_text()
    # Nothing is wider than the screen.
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
