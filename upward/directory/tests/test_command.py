from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from upward.directory.models import Organisation, Person


def test_import_directory_command(
    tmp_path: Path, db: object, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "people.csv"
    call_command("generate_directory", str(path), "--size", "120", "--seed", "4")
    call_command("import_directory", "acme", str(path), "--create", "Acme Ltd")
    assert Organisation.objects.get(slug="acme").name == "Acme Ltd"
    assert Person.objects.count() == 120
    call_command("import_directory", "acme", str(path))
    out = capsys.readouterr().out
    assert "0 new, 0 updated, 120 unchanged" in out


def test_import_directory_command_errors(tmp_path: Path, db: object) -> None:
    with pytest.raises(CommandError, match="No organisation 'nope'"):
        call_command("import_directory", "nope", "x.csv")
    Organisation.objects.create(name="Acme", slug="acme")
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_directory", "acme", str(tmp_path / "missing.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_text("employee_id,name,manager_employee_id\nA,Ann,B\nB,Bob,A\n")
    with pytest.raises(CommandError, match="Nothing was imported: 2 row"):
        call_command("import_directory", "acme", str(bad))
    assert Person.objects.count() == 0


def test_command_line_imports_are_recorded(tmp_path: Path, db: object) -> None:
    from upward.directory.models import DirectoryImport

    path = tmp_path / "people.csv"
    path.write_text("employee_id,name\nA1,Ann\n")
    call_command("import_directory", "acme", str(path), "--create", "Acme")
    record = DirectoryImport.objects.get()
    assert (record.filename, record.status, record.summary["creates"]) == ("people.csv", "done", 1)
    assert (
        Person.objects.get().history.get().history_where == "command: import-directory people.csv"
    )  # type: ignore[attr-defined]
