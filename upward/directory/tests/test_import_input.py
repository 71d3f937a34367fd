"""Directory files that are hostile or careless: every problem is a clear message, nothing stored."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from upward.directory.importer import DirectoryFileError
from upward.directory.models import DirectoryImport, Organisation, Person
from upward.directory.services import plan_import


@pytest.fixture
def org(db: object) -> Organisation:
    return Organisation.objects.create(name="Acme", slug="acme")


def _reasons(org: Organisation, name: str, data: bytes) -> list[str]:
    plan = plan_import(organisation=org, filename=name, data=data)
    return [str(e) for e in plan.errors]


# Defect 4: a CSV field larger than the csv module's limit was a server error.


def test_a_csv_field_of_200000_characters_is_a_clear_file_error(org: Organisation) -> None:
    data = b"employee_id,name\nE1,Ana\nE2," + b"x" * 200_000 + b"\n"
    with pytest.raises(DirectoryFileError) as caught:
        plan_import(organisation=org, filename="p.csv", data=data)
    assert str(caught.value) == (
        "Row 3 holds a value longer than 131,072 characters; no column can hold more than"
        " 254 characters."
    )


def test_a_csv_upload_with_a_200000_character_field_shows_a_message_not_an_error_page(
    client: Client, org_admin: Any, org_a: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(org_admin)
    before = org_a.people.count()
    data = b"employee_id,name\nE1," + b"y" * 200_000 + b"\n"
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(
            reverse("directory:import_upload", args=[org_a.slug]),
            {"file": SimpleUploadedFile("people.csv", data, content_type="text/csv")},
        )
    response = client.get(posted["Location"])
    assert response.status_code == 200
    assert "Row 2 holds a value longer than 131,072 characters" in response.content.decode()
    staged = DirectoryImport.objects.get()
    assert staged.status == DirectoryImport.Status.REJECTED
    assert staged.content == b""
    assert org_a.people.count() == before


def test_an_unterminated_quote_reads_to_the_end_and_the_row_is_still_checked(
    org: Organisation,
) -> None:
    data = b'employee_id;name\nE1;"Ana\n'
    plan = plan_import(organisation=org, filename="p.csv", data=data)
    # The csv module reads an unterminated quote to the end of the file: one row, still checked.
    assert [r.employee_id for r in plan.rows] == ["E1"]


# Defect 6: NUL and other unsafe control characters are refused with the row and a reason.


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("nul\x00byte", "a NUL character (U+0000), which cannot be stored"),
        ("esc\x1bape", "an invisible control character (U+001B)"),
        ("del\x7fete", "an invisible control character (U+007F)"),
        ("c1\x85next", "an invisible control character (U+0085)"),
        ("line\nbreak", "a line break or tab (U+000A)"),
        ("tab\tinside", "a line break or tab (U+0009)"),
        ("evil\u202etxt.exe", "a text-direction control (U+202E), which can disguise the text"),
        ("iso\u2066late", "a text-direction control (U+2066), which can disguise the text"),
    ],
)
def test_control_characters_in_a_csv_value_are_refused(
    org: Organisation, value: str, reason: str
) -> None:
    data = f'employee_id,name,department\nE1,Ana,Finance\nE2,"{value}",Finance\n'.encode()
    assert _reasons(org, "p.csv", data) == [f"row 3 (E2): column 'name' holds {reason}; remove it"]


def test_a_nul_in_the_employee_id_is_refused_without_repeating_it(org: Organisation) -> None:
    data = b"employee_id,name\nE\x001,Ana\n"
    plan = plan_import(organisation=org, filename="p.csv", data=data)
    assert [e.as_dict() for e in plan.errors] == [
        {
            "row": 2,
            "employee_id": "E?1",
            "reason": "column 'employee_id' holds a NUL character (U+0000), which cannot be"
            " stored; remove it",
        }
    ]
    assert "\x00" not in repr(plan.errors)


def test_letters_of_every_script_and_invisible_joiners_are_accepted(org: Organisation) -> None:
    names = ["Zoë Ångström", "محمد", "שרה", "张伟", "👩\u200d💻 Dev", "Ana\u200eSilva"]
    lines = "".join(f"E{i},{name}\n" for i, name in enumerate(names))
    plan = plan_import(
        organisation=org, filename="p.csv", data=f"employee_id,name\n{lines}".encode()
    )
    assert plan.errors == []
    assert [r.name for r in plan.rows] == names


def _xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite_member(data: bytes, member: str, old: bytes, new: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    assert member in source.namelist()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == member:
                assert old in content
                content = content.replace(old, new)
            target.writestr(info, content)
    return out.getvalue()


def test_control_characters_in_xlsx_values_are_refused(org: Organisation) -> None:
    data = _xlsx(
        [
            ["employee_id", "name", "department"],
            ["E1", "Ana\u202eSilva", "Finance"],
            ["E2", "Tom", "Fin\x85ance"],
            ["E3", "Two\nlines", "Finance"],
            ["E4", "Kim", "Finance"],
        ]
    )
    assert _reasons(org, "p.xlsx", data) == [
        "row 2 (E1): column 'name' holds a text-direction control (U+202E), which can disguise"
        " the text; remove it",
        "row 3 (E2): column 'department' holds an invisible control character (U+0085); remove it",
        "row 4 (E3): column 'name' holds a line break or tab (U+000A); remove it",
    ]


def test_an_xlsx_whose_xml_holds_a_nul_is_a_damaged_file(org: Organisation) -> None:
    # XML cannot hold a NUL; a sheet that tries is reported as damaged, not a server error.
    data = _xlsx([["employee_id", "name"], ["E1", "nulMARKbyte"]])
    data = _rewrite_member(data, "xl/worksheets/sheet1.xml", b"nulMARKbyte", b"nul&#0;byte")
    with pytest.raises(DirectoryFileError) as caught:
        plan_import(organisation=org, filename="p.xlsx", data=data)
    assert str(caught.value).startswith("This Excel file is damaged and cannot be read")
    assert not Person.objects.exists()


# Defect 8 (values): a value too long for its column is reported, never cut.


def test_a_value_too_long_for_its_column_is_reported_not_cut(org: Organisation) -> None:
    data = f"employee_id,name,grade\nE1,{'n' * 201},Lead\nE2,Ana,{'g' * 101}\n".encode()
    assert _reasons(org, "p.csv", data) == [
        "row 2 (E1): column 'name' is 201 characters long; it can hold at most 200",
        "row 3 (E2): column 'grade' is 101 characters long; it can hold at most 100",
    ]


def test_the_length_limits_are_the_person_fields_lengths() -> None:
    from upward.directory.importer import MAX_LENGTH

    for name, limit in MAX_LENGTH.items():
        field = Person._meta.get_field("manager" if name == "manager_employee_id" else name)
        if field.max_length:
            assert limit == field.max_length, name
    assert MAX_LENGTH["manager_employee_id"] == MAX_LENGTH["employee_id"]


# Defect 8 (XLSX): caps on what an .xlsx unpacks to, on one cell, and formulas without values.


def test_an_xlsx_that_inflates_a_thousandfold_is_refused_before_parsing(
    org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _xlsx([["employee_id", "name", "notes"], ["E1", "Ana", "BOMB"]])
    data = _rewrite_member(data, "xl/worksheets/sheet1.xml", b"BOMB", b"x" * 50_000_000)
    assert len(data) < 200_000

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr("upward.directory.importer.load_workbook", never)
    with pytest.raises(DirectoryFileError) as caught:
        plan_import(organisation=org, filename="p.xlsx", data=data)
    message = str(caught.value)
    assert message.startswith("This Excel file unpacks ")
    assert "times larger than it is (xl/worksheets/sheet1.xml: 50 MB)" in message


def test_an_xlsx_over_the_unpacked_size_cap_is_refused(
    org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("upward.directory.importer.XLSX_MAX_UNCOMPRESSED", 10_000)
    data = _xlsx([["employee_id", "name"], *[[f"E{i}", f"Person {i}"] for i in range(300)]])
    with pytest.raises(DirectoryFileError) as caught:
        plan_import(organisation=org, filename="p.xlsx", data=data)
    assert str(caught.value).endswith(
        "MB; the most accepted is 0 MB. Split it into parts or save it as CSV."
    )


def test_one_xlsx_cell_over_excels_limit_is_refused(org: Organisation) -> None:
    import random

    noise = "".join(random.Random(3).choices("abcdefghijklmnopqrstuvwxyz ", k=40_000))
    data = _xlsx([["employee_id", "name", "notes"], ["E1", "Ana", "short"]])
    data = _rewrite_member(data, "xl/worksheets/sheet1.xml", b"short", noise.encode())
    with pytest.raises(DirectoryFileError) as caught:
        plan_import(organisation=org, filename="p.xlsx", data=data)
    assert str(caught.value) == (
        "Row 2 holds a cell of 40,000 characters; no cell of a directory file may hold more"
        " than 32,767."
    )


def test_a_formula_without_a_saved_value_is_reported_as_a_formula(org: Organisation) -> None:
    data = _xlsx(
        [
            ["employee_id", "name", "department"],
            ["E1", "Ana", "Finance"],
            ["E2", '=UPPER("tom")', "Finance"],
            ["E3", "Kim", "=B2"],
        ]
    )
    assert _reasons(org, "p.xlsx", data) == [
        "row 3 (E2): column 'name' holds a formula (=UPPER(\"tom\")) with no saved value; save"
        " the file with values",
        "row 4 (E3): column 'department' holds a formula (=B2) with no saved value; save the"
        " file with values",
    ]


def test_a_formula_saved_with_its_value_gives_the_value(org: Organisation) -> None:
    data = _xlsx([["employee_id", "name"], ["E1", '=UPPER("tom")']])
    # openpyxl writes an empty cached value as <v /> or <v></v>, by the XML writer it has.
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    empty = b"<v></v>" if b"<v></v>" in sheet else b"<v />"
    data = _rewrite_member(data, "xl/worksheets/sheet1.xml", empty, b"<v>TOM</v>")
    data = _rewrite_member(data, "xl/worksheets/sheet1.xml", b'<c r="B2">', b'<c r="B2" t="str">')
    plan = plan_import(organisation=org, filename="p.xlsx", data=data)
    assert plan.errors == []
    assert [(r.row, r.name) for r in plan.rows] == [(2, "TOM")]


def test_xlsx_rows_keep_their_sheet_row_numbers_across_blank_rows(org: Organisation) -> None:
    data = _xlsx([["employee_id", "name"], ["E1", "Ana"], [], [], ["E2", ""]])
    assert _reasons(org, "p.xlsx", data) == ["row 5 (E2): name is missing"]
