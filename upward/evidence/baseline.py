"""Import historical engagement results: a CSV or XLSX of aggregated scores by segment and
period. Every row is checked first; one bad row and nothing is imported, with every problem
reported by row number."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.db import transaction

from upward.accounts.permissions import can_coordinate
from upward.programmes.models import Programme

from .errors import EvidenceRuleBroken
from .models import HistoricalScore

COLUMNS = ("measure", "period", "period_end", "segment", "respondents", "mean_score", "scale_max")
MAX_ROWS = 5000
MAX_BYTES = 2_000_000
DIMENSIONS = ("organisation", "side", "cohort", "department", "location", "grade")


class ImportRefused(EvidenceRuleBroken):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"Nothing was imported: {len(problems)} problem(s) found.")


def _rows(filename: str, data: bytes) -> list[dict[str, str]]:
    if len(data) > MAX_BYTES:
        raise ImportRefused([f"The file is larger than {MAX_BYTES // 1_000_000} MB."])
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception:  # openpyxl raises many kinds for a broken file
            raise ImportRefused(["The file is not a readable XLSX workbook."]) from None
        if sheet is None:
            raise ImportRefused(["The workbook has no sheet."])
        values = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRefused(["The file is not UTF-8 text (CSV) or an XLSX workbook."]) from None
        values = list(csv.reader(io.StringIO(text)))
    if not values:
        raise ImportRefused(["The file is empty."])
    header = [h.strip().lower() for h in values[0]]
    missing = [c for c in COLUMNS if c != "scale_max" and c not in header]
    if missing:
        raise ImportRefused(["Missing columns: " + ", ".join(missing) + "."])
    if len(values) - 1 > MAX_ROWS:
        raise ImportRefused([f"At most {MAX_ROWS} rows at a time."])
    return [
        dict(zip(header, (v.strip() for v in row), strict=False)) for row in values[1:] if any(row)
    ]


def _parse(number: int, row: dict[str, str], problems: list[str]) -> dict[str, Any] | None:
    where = f"Row {number}"
    start = len(problems)
    measure, period = row.get("measure", ""), row.get("period", "")
    if not measure or len(measure) > 120:
        problems.append(f"{where}: give a measure of at most 120 characters.")
    if not period or len(period) > 60:
        problems.append(f"{where}: give a period of at most 60 characters.")
    try:
        period_end = dt.date.fromisoformat(row.get("period_end", "")[:10])
    except ValueError:
        problems.append(f"{where}: period_end must be a date like 2026-03-31.")
        period_end = None
    segment = row.get("segment", "") or "everyone"
    dimension = value = ""
    if segment.lower() != "everyone":
        dimension, _, value = segment.partition("=")
        dimension, value = dimension.strip().lower(), value.strip()
        if dimension not in DIMENSIONS or not value or len(value) > 200:
            problems.append(
                f"{where}: segment must be 'everyone' or one of {', '.join(DIMENSIONS)} "
                "followed by = and a value."
            )
    try:
        respondents = int(row.get("respondents", ""))
        if not 0 <= respondents <= 1_000_000:
            raise ValueError
    except ValueError:
        problems.append(f"{where}: respondents must be a whole number from 0.")
        respondents = 0
    try:
        scale_max = int(row.get("scale_max", "") or 7)
        if not 2 <= scale_max <= 11:
            raise ValueError
    except ValueError:
        problems.append(f"{where}: scale_max must be a whole number from 2 to 11.")
        scale_max = 7
    try:
        mean = float(row.get("mean_score", ""))
        if not 1 <= mean <= scale_max:
            raise ValueError
    except ValueError:
        problems.append(f"{where}: mean_score must be a number from 1 to {scale_max}.")
        mean = 0.0
    if len(problems) > start:
        return None
    return {
        "measure": measure,
        "period": period,
        "period_end": period_end,
        "dimension": dimension,
        "value": value,
        "respondents": respondents,
        "mean": mean,
        "scale_max": scale_max,
    }


def baseline_preview(
    *, programme: Programme, by: Any, filename: str, data: bytes
) -> list[dict[str, Any]]:
    """Check a file without importing it: the rows as they would be stored, or
    ``ImportRefused`` with every problem by row number."""
    if not can_coordinate(by, programme):
        raise EvidenceRuleBroken("Only the programme's coordinators can import results.")
    return _checked(filename, data)


def _checked(filename: str, data: bytes) -> list[dict[str, Any]]:
    rows = _rows(filename, data)
    problems: list[str] = []
    parsed = [_parse(i, row, problems) for i, row in enumerate(rows, start=2)]
    keys = [(p["measure"], p["period"], p["dimension"], p["value"]) for p in parsed if p]
    if len(set(keys)) != len(keys):
        problems.append("The same measure, period and segment appear more than once.")
    if not rows:
        problems.append("The file has a header but no rows.")
    problems.extend(_overlaps([p for p in parsed if p is not None]))
    if problems:
        raise ImportRefused(problems)
    return [p for p in parsed if p is not None]


def _overlaps(parsed: list[dict[str, Any]]) -> list[str]:
    """The groups of one dimension split everyone, so together they cannot hold more people
    than everyone; a file where they do is inconsistent (and its figures would mislead)."""
    whole: dict[tuple[str, str], int] = {}
    parts: dict[tuple[str, str, str], int] = {}
    for p in parsed:
        if p["dimension"]:
            key = (p["measure"], p["period"], p["dimension"])
            parts[key] = parts.get(key, 0) + p["respondents"]
        else:
            whole[(p["measure"], p["period"])] = p["respondents"]
    return [
        f"{measure} {period}: the {dimension} groups hold {total} people, more than the "
        f"{whole[(measure, period)]} of everyone."
        for (measure, period, dimension), total in parts.items()
        if (measure, period) in whole and total > whole[(measure, period)]
    ]


def baseline_import(*, programme: Programme, by: Any, filename: str, data: bytes) -> int:
    """Import every row or none; returns how many rows were imported (new or replaced)."""
    parsed = baseline_preview(programme=programme, by=by, filename=filename, data=data)
    with transaction.atomic():
        for p in parsed:
            HistoricalScore.objects.update_or_create(
                programme=programme,
                measure=p["measure"],
                period=p["period"],
                dimension=p["dimension"],
                value=p["value"],
                defaults={k: p[k] for k in ("period_end", "respondents", "mean", "scale_max")},
            )
    return len(parsed)
