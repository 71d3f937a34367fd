"""Directory import: upsert by employee id, all or nothing, cycles rejected."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from upward.directory.importer import DirectoryFileError, find_cycles
from upward.directory.models import Organisation, Person
from upward.directory.services import ImportRejected, directory_import_apply, plan_import

HEADER = "employee_id,name,email,job_title,grade,grade_level,department,location,time_zone,manager_employee_id,start_date,active\n"


def csv_bytes(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode()


GOOD = csv_bytes(
    # A report listed before their manager, who is listed before the CEO.
    "E3,Priya Shah,priya@example.org,Analyst,Associate,3,Finance,London,Europe/London,E2,2024-03-01,yes",
    "E2,Tom Reed,tom@example.org,Finance Director,Director,8,Finance,London,Europe/London,E1,2019-01-15,yes",
    "E1,Ana Silva,ana@example.org,Chief Executive,CEO,10,Office,London,Europe/London,,2015-06-01,yes",
)


@pytest.fixture
def org(db: object) -> Organisation:
    return Organisation.objects.create(name="Acme", slug="acme")


def apply(org: Organisation, data: bytes, name: str = "people.csv", **kw: bool) -> dict[str, int]:
    return directory_import_apply(organisation=org, filename=name, data=data, **kw)


def test_good_file_creates_people_with_managers_in_any_order(org: Organisation) -> None:
    summary = apply(org, GOOD)
    assert summary == {
        "rows": 3,
        "creates": 3,
        "updates": 0,
        "unchanged": 0,
        "deactivations": 0,
        "errors": 0,
    }
    people = {p.employee_id: p for p in Person.objects.filter(organisation=org)}
    assert people["E3"].manager == people["E2"]
    assert people["E2"].manager == people["E1"]
    assert people["E1"].manager is None
    assert people["E3"].grade_level == 3
    assert people["E3"].time_zone == "Europe/London"
    assert str(people["E3"].start_date) == "2024-03-01"


def test_running_the_same_file_twice_changes_nothing(org: Organisation) -> None:
    apply(org, GOOD)
    before = list(Person.objects.order_by("pk").values())
    summary = apply(org, GOOD)
    assert summary["creates"] == 0
    assert summary["updates"] == 0
    assert summary["unchanged"] == 3
    assert list(Person.objects.order_by("pk").values()) == before


def test_update_of_a_manager_and_a_title(org: Organisation) -> None:
    apply(org, GOOD)
    changed = csv_bytes(
        "E3,Priya Shah,priya@example.org,Senior Analyst,Associate,4,Finance,London,Europe/London,E1,2024-03-01,yes",
    )
    summary = apply(org, changed)
    assert (summary["creates"], summary["updates"], summary["unchanged"]) == (0, 1, 0)
    priya = Person.objects.get(organisation=org, employee_id="E3")
    assert priya.manager is not None and priya.manager.employee_id == "E1"
    assert priya.job_title == "Senior Analyst"
    assert priya.grade_level == 4
    # People not in the file are left as they were.
    assert Person.objects.get(employee_id="E2").manager.employee_id == "E1"  # type: ignore[union-attr]


def test_columns_absent_from_the_file_keep_their_values(org: Organisation) -> None:
    apply(org, GOOD)
    apply(org, b"employee_id,name\nE3,Priya Shah-Khan\n")
    priya = Person.objects.get(employee_id="E3")
    assert priya.name == "Priya Shah-Khan"
    assert priya.manager is not None and priya.manager.employee_id == "E2"
    assert priya.email == "priya@example.org"


def test_bad_rows_are_reported_with_row_number_and_nothing_is_imported(org: Organisation) -> None:
    bad = csv_bytes(
        "E1,Ana Silva,ana@example.org,CEO,CEO,10,Office,London,Europe/London,,2015-06-01,yes",
        "E2,,tom@example.org,Director,Director,8,Finance,London,Europe/London,E1,,yes",
        "E3,Priya,not-an-email,Analyst,Associate,x,Finance,London,Mars/Base,E9,2024-13-45,maybe",
        "E1,Duplicate Ana,,,,,,,,,,",
    )
    with pytest.raises(ImportRejected) as caught:
        apply(org, bad)
    reasons = [(e.row, e.reason) for e in caught.value.plan.errors]
    assert reasons == [
        (3, "name is missing"),
        (4, "email 'not-an-email' is not a valid address"),
        (5, "employee id already used on row 2"),
    ]
    assert Person.objects.count() == 0


def test_each_field_check_has_a_clear_reason(org: Organisation) -> None:
    cases = {
        "E5,Bo,,,,x,,,,,,": "grade level 'x' is not a whole number",
        "E5,Bo,,,,,,,Mars/Base,,,": "time zone 'Mars/Base' is not known (use a name like Europe/London)",
        "E5,Bo,,,,,,,,E9,,": "manager 'E9' is not in the directory",
        "E5,Bo,,,,,,,,E5,,": "a person cannot be their own manager",
        "E5,Bo,,,,,,,,,2024-13-45,": "start date '2024-13-45' is not a date (use YYYY-MM-DD)",
        "E5,Bo,,,,,,,,,,maybe": "active 'maybe' should be yes or no",
        ",Bo,,,,,,,,,,": "employee id is missing",
    }
    for line, reason in cases.items():
        plan = plan_import(organisation=org, filename="p.csv", data=csv_bytes(line))
        assert [e.reason for e in plan.errors] == [reason], line


def test_a_report_of_a_bad_row_says_so(org: Organisation) -> None:
    plan = plan_import(
        organisation=org,
        filename="p.csv",
        data=csv_bytes("E1,Ana,bad@,,,,,,,,,", "E2,Tom,,,,,,,,E1,,"),
    )
    assert [str(e) for e in plan.errors] == [
        "row 2 (E1): email 'bad@' is not a valid address",
        "row 3 (E2): manager 'E1' is on row 2, which has an error",
    ]


def test_cycles_in_the_reporting_line_are_rejected(org: Organisation) -> None:
    looped = csv_bytes(
        "E1,Ana,,,,,,,,E3,,",
        "E2,Tom,,,,,,,,E1,,",
        "E3,Priya,,,,,,,,E2,,",
        "E4,Sam,,,,,,,,,,",
    )
    with pytest.raises(ImportRejected) as caught:
        apply(org, looped)
    errors = caught.value.plan.errors
    assert [e.employee_id for e in errors] == ["E1", "E2", "E3"]
    assert all("the reporting line loops back" in e.reason for e in errors)
    assert Person.objects.count() == 0


def test_a_cycle_through_people_already_held_is_rejected(org: Organisation) -> None:
    apply(org, GOOD)  # E3 -> E2 -> E1
    with pytest.raises(ImportRejected) as caught:
        apply(org, b"employee_id,name,manager_employee_id\nE1,Ana Silva,E3\n")
    assert "loops back" in caught.value.plan.errors[0].reason
    assert Person.objects.get(employee_id="E1").manager is None


def test_find_cycles_on_plain_maps() -> None:
    assert find_cycles({"a": "b", "b": "c", "c": ""}) == []
    assert sorted(find_cycles({"a": "b", "b": "a", "c": "a"})[0]) == ["a", "b"]
    assert find_cycles({"x": "x"}) == [["x"]]


def test_xlsx_files_import_like_csv(org: Organisation) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Employee ID", "Full name", "Work email", "Grade level", "Line manager"])
    sheet.append(["E2", "Tom Reed", "tom@example.org", 8, "E1"])
    sheet.append(["E1", "Ana Silva", "ana@example.org", 10, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    summary = apply(org, buffer.getvalue(), name="people.xlsx")
    assert summary["creates"] == 2
    tom = Person.objects.get(employee_id="E2")
    assert tom.grade_level == 8 and tom.manager is not None and tom.manager.name == "Ana Silva"


def test_unreadable_files_are_refused(org: Organisation) -> None:
    with pytest.raises(DirectoryFileError, match="CSV"):
        plan_import(organisation=org, filename="people.pdf", data=b"%PDF")
    with pytest.raises(DirectoryFileError, match="no column for: employee_id"):
        plan_import(organisation=org, filename="p.csv", data=b"name,email\nAna,a@b.org\n")
    with pytest.raises(DirectoryFileError, match="empty"):
        plan_import(organisation=org, filename="p.csv", data=b"")
    with pytest.raises(DirectoryFileError, match="not a readable Excel"):
        plan_import(organisation=org, filename="p.xlsx", data=b"not a zip")


def test_deactivate_missing_marks_people_not_in_the_file(org: Organisation) -> None:
    apply(org, GOOD)
    summary = apply(org, b"employee_id,name\nE1,Ana Silva\nE2,Tom Reed\n", deactivate_missing=True)
    assert summary["deactivations"] == 1
    assert list(Person.objects.filter(active=False).values_list("employee_id", flat=True)) == ["E3"]


def test_people_of_another_organisation_are_untouched(org: Organisation) -> None:
    other = Organisation.objects.create(name="Other", slug="other")
    apply(other, GOOD)
    apply(org, GOOD)
    assert Person.objects.filter(organisation=other).count() == 3
    assert Person.objects.filter(organisation=org).count() == 3
    mine = Person.objects.get(organisation=org, employee_id="E3")
    assert mine.manager is not None and mine.manager.organisation == org


def test_imports_leave_audit_history(org: Organisation) -> None:
    apply(org, GOOD)
    priya = Person.objects.get(employee_id="E3")
    created = list(priya.history.all())  # type: ignore[attr-defined]
    assert [h.history_type for h in created] == ["+"]
    assert created[0].history_where == "directory import: people.csv"
    retitled = b"employee_id,name,job_title\nE3,Priya Shah,Lead Analyst\n"
    apply(org, retitled)
    history = list(priya.history.order_by("history_date", "history_id"))  # type: ignore[attr-defined]
    assert [h.history_type for h in history] == ["+", "~"]
    assert history[-1].job_title == "Lead Analyst"
    assert history[-1].diff_against(history[0]).changed_fields == ["job_title"]
    # An unchanged file writes no history at all.
    apply(org, retitled)
    assert priya.history.count() == 2  # type: ignore[attr-defined]
    apply(org, b"employee_id,name\nE1,Ana Silva\n", deactivate_missing=True)
    assert priya.history.latest("history_date").active is False  # type: ignore[attr-defined]
