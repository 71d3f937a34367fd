"""Reading and checking directory files (CSV and XLSX) before anything is written.

A file is read into plain rows, each row is checked, and the whole file is checked against the
directory already held (managers that appear after their reports, cycles in the reporting line).
Nothing here writes to the database: ``services.directory_import_apply`` does, all or nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from openpyxl import load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

# Columns a directory file may carry. Headers are matched case-insensitively, ignoring spaces,
# dashes and underscores, and a few common synonyms are accepted.
FIELDS = (
    "employee_id",
    "name",
    "email",
    "job_title",
    "grade",
    "grade_level",
    "department",
    "location",
    "time_zone",
    "manager_employee_id",
    "start_date",
    "active",
)
REQUIRED = ("employee_id", "name")
_SYNONYMS = {
    "employeeid": "employee_id",
    "employeenumber": "employee_id",
    "id": "employee_id",
    "fullname": "name",
    "name": "name",
    "email": "email",
    "workemail": "email",
    "emailaddress": "email",
    "jobtitle": "job_title",
    "title": "job_title",
    "grade": "grade",
    "gradelevel": "grade_level",
    "level": "grade_level",
    "seniority": "grade_level",
    "department": "department",
    "location": "location",
    "timezone": "time_zone",
    "tz": "time_zone",
    "manageremployeeid": "manager_employee_id",
    "managerid": "manager_employee_id",
    "manager": "manager_employee_id",
    "linemanager": "manager_employee_id",
    "startdate": "start_date",
    "active": "active",
}
_TRUE = {"1", "true", "yes", "y", "active"}
_FALSE = {"0", "false", "no", "n", "inactive", "left"}
_TIME_ZONES = frozenset(zoneinfo.available_timezones())
MAX_ROWS = 500_000
# The longest value each column may hold: the lengths of the matching Person fields.
MAX_LENGTH = {
    "employee_id": 64,
    "name": 200,
    "email": 254,
    "job_title": 200,
    "grade": 100,
    "grade_level": 20,
    "department": 200,
    "location": 200,
    "time_zone": 64,
    "manager_employee_id": 64,
    "start_date": 30,
    "active": 20,
}
# An .xlsx is a zip archive: these bound what it may unpack to before any of it is parsed.
XLSX_MAX_UNCOMPRESSED = 300_000_000
XLSX_MAX_RATIO = 100
XLSX_MAX_PARTS = 1_000
XLSX_MAX_COLUMNS = 200
XLSX_MAX_CELL = 32_767  # Excel's own limit for one cell
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


class DirectoryFileError(ValueError):
    """The file as a whole cannot be read (wrong type, no header, missing columns)."""


@dataclass(frozen=True)
class RowError:
    row: int
    employee_id: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "employee_id": self.employee_id, "reason": self.reason}

    def __str__(self) -> str:
        who = f" ({self.employee_id})" if self.employee_id else ""
        return f"row {self.row}{who}: {self.reason}"


@dataclass
class CleanRow:
    """One valid directory row, typed."""

    row: int
    employee_id: str
    name: str
    email: str = ""
    job_title: str = ""
    grade: str = ""
    grade_level: int = 0
    department: str = ""
    location: str = ""
    time_zone: str = "UTC"
    manager_employee_id: str = ""
    start_date: dt.date | None = None
    active: bool = True
    present: frozenset[str] = field(default_factory=frozenset)


def _norm_header(header: str) -> str:
    return "".join(ch for ch in header.strip().lower() if ch.isalnum())


def _map_headers(headers: list[str]) -> list[str | None]:
    mapped: list[str | None] = []
    seen: set[str] = set()
    for header in headers:
        key = _SYNONYMS.get(_norm_header(header or ""))
        if key in seen:
            raise DirectoryFileError(f"The column '{header}' appears twice.")
        if key:
            seen.add(key)
        mapped.append(key)
    missing = [f for f in REQUIRED if f not in seen]
    if missing:
        raise DirectoryFileError(
            "The file has no column for: "
            + ", ".join(missing)
            + ". The first row must name the columns (employee_id, name, email, job_title, grade,"
            " grade_level, department, location, time_zone, manager_employee_id, start_date,"
            " active)."
        )
    return mapped


class Formula(str):
    """A formula cell saved without its value: the text is the formula itself."""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Formula):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


Rows = Iterator[tuple[int, list[Any]]]


def _iter_csv(data: bytes) -> tuple[int, Rows]:
    """(an estimate of the rows, an iterator of (row number, values))."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel

    def rows() -> Rows:
        reader = csv.reader(io.StringIO(text), dialect)
        records = 0
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                # The csv module's one complaint a file can trigger is a field over its size
                # limit; anything else it says is still about this record, so both name the row.
                row = records + 1
                if "field larger than field limit" in str(exc):
                    raise DirectoryFileError(
                        f"Row {row} holds a value longer than {csv.field_size_limit():,}"
                        f" characters; no column can hold more than"
                        f" {max(MAX_LENGTH.values())} characters."
                    ) from None
                raise DirectoryFileError(f"Row {row} cannot be read as CSV: {exc}.") from None
            records += 1
            yield records, values

    return text.count("\n") + 1, rows()


def check_xlsx_archive(data: bytes) -> None:
    """Refuse an .xlsx whose parts would inflate past the caps, before anything is parsed.

    The sizes are the ones the archive declares; Python's zipfile never inflates a part past its
    declared size (a part that lies fails its checksum), so the declared sizes are a real bound.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DirectoryFileError(f"This is not a readable Excel (.xlsx) file: {exc}") from exc
    if len(parts) > XLSX_MAX_PARTS:
        raise DirectoryFileError(
            f"This Excel file has {len(parts):,} parts; a directory file has far fewer."
        )
    total = sum(part.file_size for part in parts)
    if total > XLSX_MAX_UNCOMPRESSED:
        raise DirectoryFileError(
            f"This Excel file unpacks to {total / 1e6:,.0f} MB; the most accepted is"
            f" {XLSX_MAX_UNCOMPRESSED / 1e6:,.0f} MB. Split it into parts or save it as CSV."
        )
    for part in parts:
        ratio = part.file_size / max(1, part.compress_size)
        if part.file_size > 1_000_000 and ratio > XLSX_MAX_RATIO:
            raise DirectoryFileError(
                f"This Excel file unpacks {ratio:,.0f} times larger than it is ({part.filename}:"
                f" {part.file_size / 1e6:,.0f} MB); a directory file does not, so it is refused."
                " Save it again as .xlsx or CSV from your spreadsheet program."
            )


def _iter_xlsx(data: bytes) -> tuple[int, Rows]:
    check_xlsx_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise DirectoryFileError(f"This is not a readable Excel (.xlsx) file: {exc}") from exc
    if not isinstance(sheet, ReadOnlyWorksheet):
        workbook.close()
        raise DirectoryFileError("The first sheet of this Excel file holds no table of people.")
    try:
        estimate = sheet.max_row or 0
    except Exception:  # a damaged dimension: only the progress estimate is lost
        estimate = 0

    def rows() -> Rows:
        read = 0
        try:
            with sheet._get_source() as source:
                parser = _FormulaAwareParser(
                    source,
                    sheet._shared_strings,
                    data_only=True,
                    epoch=workbook.epoch,
                    date_formats=workbook._date_formats,
                    timedelta_formats=workbook._timedelta_formats,
                )
                cells_by_row = parser.parse()
                while True:
                    try:
                        number, cells = next(cells_by_row)
                    except StopIteration:
                        return
                    except DirectoryFileError:
                        raise
                    except Exception as exc:  # the sheet's XML is parsed as it is read
                        raise DirectoryFileError(
                            f"This Excel file is damaged and cannot be read after row {read}: {exc}"
                        ) from exc
                    read = number
                    values: list[Any] = []
                    for cell in cells:
                        column = cell["column"]
                        if column > XLSX_MAX_COLUMNS:
                            continue  # far beyond any directory column
                        values.extend([None] * (column - len(values)))
                        values[column - 1] = cell["value"]
                    yield number, values
        finally:
            workbook.close()

    return estimate, rows()


class _FormulaAwareParser(WorkSheetParser):  # type: ignore[misc]
    """openpyxl's sheet parser, telling a formula saved without its value from an empty cell.

    Asked for values, openpyxl reads such a formula as an empty cell; here it becomes a Formula,
    so the row can say so. (The openpyxl version is pinned in constraints.txt.)
    """

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell: dict[str, Any] = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            cell["value"] = Formula(self.parse_formula(element) or "=")
        elif isinstance(cell["value"], str) and len(cell["value"]) > XLSX_MAX_CELL:
            raise DirectoryFileError(
                f"Row {cell['row']} holds a cell of {len(cell['value']):,} characters; no"
                f" cell of a directory file may hold more than {XLSX_MAX_CELL:,}."
            )
        return cell


def _describe_unsafe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if char == "\x00":
        return f"a NUL character ({code}), which cannot be stored"
    if char in "\t\n\r\x0b\x0c":
        return f"a line break or tab ({code})"
    if char in _BIDI_CONTROLS:
        return f"a text-direction control ({code}), which can disguise the text"
    return f"an invisible control character ({code})"


def unsafe_character(text: str) -> str | None:
    """Why ``text`` cannot be stored as it is, or None when every character is safe.

    Refused: NUL (PostgreSQL cannot store it in text), every other C0 and C1 control and DEL
    (invisible, and not allowed in the XML of an exported spreadsheet), line breaks and tabs
    (a directory value is one line), the bidirectional embedding, override and isolate controls
    (they make text display as something else), and lone surrogates. Joiners and the
    left-to-right / right-to-left marks stay allowed: names in many scripts need them.
    """
    found = _UNSAFE.search(text)
    return _describe_unsafe(found.group()) if found else None


def safe_label(text: str, limit: int = 64) -> str:
    """``text`` fit to quote back in a message: unsafe characters shown as '?', cut to ``limit``."""
    shown = _UNSAFE.sub("?", text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def read_rows(
    filename: str, data: bytes, progress: Callable[[float], None] | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, {field: text}) for each data row; the header is row 1.

    ``progress`` (when given) hears the fraction of the file read, every few thousand rows.
    """
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        estimate, source = _iter_xlsx(data)
    elif lower.endswith((".csv", ".txt", ".tsv")):
        if data[:4] == b"PK\x03\x04":
            raise DirectoryFileError("This file looks like a spreadsheet; save it as .xlsx or CSV.")
        estimate, source = _iter_csv(data)
    else:
        raise DirectoryFileError("Upload a CSV (.csv) or Excel (.xlsx) file.")
    try:
        _, headers = next(source)
    except StopIteration:
        raise DirectoryFileError("The file is empty.") from None
    mapped = _map_headers([_cell(h) for h in headers])
    for count, (number, values) in enumerate(source, start=1):
        if count > MAX_ROWS:
            raise DirectoryFileError(f"The file has more than {MAX_ROWS:,} rows.")
        if progress and count % 2000 == 0:
            progress(min(1.0, count / max(1, estimate)))
        if not any(_cell(v) for v in values):
            continue  # blank lines are not people
        row = {}
        for key, value in zip(mapped, values, strict=False):
            if key:
                row[key] = _cell(value)
        yield number, row


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"start date '{text}' is not a date (use YYYY-MM-DD)")


def clean_row(number: int, raw: dict[str, str]) -> CleanRow:
    """Check one row. Raises ValueError with the reason when it is not valid."""
    for key, value in raw.items():
        # Checked first, so no later message quotes an unsafe or outsized value.
        if isinstance(value, Formula):
            raise ValueError(
                f"column '{key}' holds a formula ({safe_label(value, 40)}) with no saved value;"
                " save the file with values"
            )
        if problem := unsafe_character(value):
            raise ValueError(f"column '{key}' holds {problem}; remove it")
        if len(value) > MAX_LENGTH[key]:
            raise ValueError(
                f"column '{key}' is {len(value):,} characters long; it can hold at most"
                f" {MAX_LENGTH[key]}"
            )
    employee_id = raw.get("employee_id", "")
    if not employee_id:
        raise ValueError("employee id is missing")
    name = raw.get("name", "")
    if not name:
        raise ValueError("name is missing")
    row = CleanRow(row=number, employee_id=employee_id, name=name)
    row.present = frozenset(k for k, v in raw.items() if k in FIELDS)
    email = raw.get("email", "").lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValueError(f"email '{email}' is not a valid address") from None
        row.email = email
    row.job_title = raw.get("job_title", "")
    row.grade = raw.get("grade", "")
    level = raw.get("grade_level", "")
    if level:
        try:
            row.grade_level = int(level)
        except ValueError:
            raise ValueError(f"grade level '{level}' is not a whole number") from None
        if not 0 <= row.grade_level <= 1000:
            raise ValueError(f"grade level {row.grade_level} is outside 0 to 1000")
    row.department = raw.get("department", "")
    row.location = raw.get("location", "")
    tz = raw.get("time_zone", "")
    if tz:
        if tz not in _TIME_ZONES:
            raise ValueError(f"time zone '{tz}' is not known (use a name like Europe/London)")
        row.time_zone = tz
    manager = raw.get("manager_employee_id", "")
    if manager == employee_id:
        raise ValueError("a person cannot be their own manager")
    row.manager_employee_id = manager
    start = raw.get("start_date", "")
    if start:
        row.start_date = _parse_date(start)
    active = raw.get("active", "").lower()
    if active:
        if active in _TRUE:
            row.active = True
        elif active in _FALSE:
            row.active = False
        else:
            raise ValueError(f"active '{active}' should be yes or no")
    return row


@dataclass
class ImportPlan:
    """What applying a file would do, or why it cannot be applied."""

    rows: list[CleanRow]
    errors: list[RowError]
    creates: int = 0
    updates: int = 0
    unchanged: int = 0
    deactivations: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "creates": self.creates,
            "updates": self.updates,
            "unchanged": self.unchanged,
            "deactivations": self.deactivations,
            "errors": len(self.errors),
        }


def find_cycles(managers: dict[str, str]) -> list[list[str]]:
    """Return each cycle in a {person: manager} map (as the list of ids on the cycle)."""
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = known to reach a root
    cycles: list[list[str]] = []
    for start in managers:
        if state.get(start):
            continue
        walk: list[str] = []
        node: str | None = start
        while node and not state.get(node):
            state[node] = 1
            walk.append(node)
            node = managers.get(node) or None
        if node and state.get(node) == 1:
            cycles.append(walk[walk.index(node) :])
        for visited in walk:
            state[visited] = 2
    return cycles
