"""Checking a directory file against the directory held, and applying it in batches."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ..importer import (
    CleanRow,
    DirectoryFileError,
    ImportPlan,
    RowError,
    clean_row,
    find_cycles,
    read_rows,
    safe_label,
)
from ..models import DirectoryImport, Organisation, Person

Progress = Callable[[float], None]

# Fields copied from a file row onto a Person when the file has that column.
_PLAIN_FIELDS = (
    "name",
    "email",
    "job_title",
    "grade",
    "grade_level",
    "department",
    "location",
    "time_zone",
    "start_date",
    "active",
)
_BATCH = 1000


class ImportRejected(Exception):
    """The file has errors; nothing was written."""

    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        first = "; ".join(str(e) for e in plan.errors[:5])
        more = f" (and {len(plan.errors) - 5} more)" if len(plan.errors) > 5 else ""
        super().__init__(f"{len(plan.errors)} row(s) have errors: {first}{more}")


def _existing(organisation: Organisation) -> dict[str, dict[str, Any]]:
    columns = ("id", "employee_id", "manager_id", *_PLAIN_FIELDS)
    rows = Person.objects.filter(organisation=organisation).values_list(*columns)
    existing = {r[1]: dict(zip(columns, r, strict=True)) for r in rows}
    by_pk = {v["id"]: k for k, v in existing.items()}
    for record in existing.values():
        record["manager_employee_id"] = by_pk.get(record["manager_id"], "")
    return existing


def _changed_fields(row: CleanRow, current: dict[str, Any]) -> list[str]:
    changed = [
        name
        for name in _PLAIN_FIELDS
        if (name in row.present or name == "name") and getattr(row, name) != current[name]
    ]
    if (
        "manager_employee_id" in row.present
        and row.manager_employee_id != current["manager_employee_id"]
    ):
        changed.append("manager")
    return changed


def plan_import(
    *,
    organisation: Organisation,
    filename: str,
    data: bytes,
    deactivate_missing: bool = False,
    progress: Progress | None = None,
) -> ImportPlan:
    """Check a directory file against the directory held, without writing anything.

    Raises DirectoryFileError when the file as a whole cannot be read. ``progress`` hears the
    fraction of the file read.
    """
    rows: list[CleanRow] = []
    errors: list[RowError] = []
    first_seen: dict[str, int] = {}
    bad_rows: dict[str, int] = {}
    for number, raw in read_rows(filename, data, progress):
        try:
            row = clean_row(number, raw)
        except ValueError as exc:
            label = safe_label(raw.get("employee_id", ""))
            errors.append(RowError(number, label, str(exc)))
            bad_rows.setdefault(raw.get("employee_id", ""), number)
            continue
        if row.employee_id in first_seen:
            errors.append(
                RowError(
                    number,
                    row.employee_id,
                    f"employee id already used on row {first_seen[row.employee_id]}",
                )
            )
            continue
        first_seen[row.employee_id] = number
        rows.append(row)
    if not rows and not errors:
        raise DirectoryFileError("The file has a header but no people.")

    existing = _existing(organisation)
    # The reporting line after the import: what the file says, else what is held now.
    managers = {emp: rec["manager_employee_id"] for emp, rec in existing.items()}
    for row in rows:
        if "manager_employee_id" in row.present or row.employee_id not in existing:
            managers[row.employee_id] = row.manager_employee_id
    for row in rows:
        manager = row.manager_employee_id
        if manager and manager not in first_seen and manager not in existing:
            reason = (
                f"manager '{manager}' is on row {bad_rows[manager]}, which has an error"
                if manager in bad_rows
                else f"manager '{manager}' is not in the directory"
            )
            errors.append(RowError(row.row, row.employee_id, reason))
            managers[row.employee_id] = ""
    for cycle in find_cycles(managers):
        chain = " → ".join([*cycle, cycle[0]])
        for emp in cycle:
            if emp in first_seen:
                errors.append(
                    RowError(first_seen[emp], emp, f"the reporting line loops back: {chain}")
                )
    errors.sort(key=lambda e: e.row)

    plan = ImportPlan(rows=rows, errors=errors)
    for row in rows:
        current = existing.get(row.employee_id)
        if current is None:
            plan.creates += 1
        elif _changed_fields(row, current):
            plan.updates += 1
        else:
            plan.unchanged += 1
    if deactivate_missing:
        plan.deactivations = sum(
            1 for emp, rec in existing.items() if emp not in first_seen and rec["active"]
        )
    return plan


def _depths(rows: list[CleanRow], managers_in_file: set[str]) -> dict[str, int]:
    """Depth of each new row below people already held, so managers are created first."""
    parent = {r.employee_id: r.manager_employee_id for r in rows}
    depth: dict[str, int] = {}
    for start in parent:
        walk = []
        node = start
        while node in parent and node not in depth:
            walk.append(node)
            node = parent[node] if parent[node] in managers_in_file else ""
        base = depth.get(node, -1) if node else -1
        for offset, emp in enumerate(reversed(walk), start=1):
            depth[emp] = base + offset
    return depth


def _insert_people(organisation: Organisation, rows: list[CleanRow], ids: dict[str, int]) -> None:
    """Insert new people with one prepared statement per batch, then learn their ids.

    The ORM's bulk_create builds a model instance per row, which made a 100,000-row import
    spend most of its time in Python; the rows here are already checked, so they go straight in.
    """
    table = connection.ops.quote_name(Person._meta.db_table)
    columns = ["organisation_id", "employee_id", "manager_id", *_PLAIN_FIELDS, "updated_at"]
    # Names come from the model, never from input; every value is a parameter.
    sql = (
        # Reviewed (bandit B608): names come from the model, quoted; values are parameters.
        f"INSERT INTO {table} ({', '.join(connection.ops.quote_name(c) for c in columns)}) "  # noqa: S608  # nosec B608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    values = []
    for row in rows:
        plain = [getattr(row, name) for name in _PLAIN_FIELDS]
        plain[_PLAIN_FIELDS.index("start_date")] = connection.ops.adapt_datefield_value(
            row.start_date
        )
        values.append(
            [organisation.pk, row.employee_id, ids.get(row.manager_employee_id), *plain, now]
        )
    with connection.cursor() as cursor:
        for start in range(0, len(values), 5000):
            cursor.executemany(sql, values[start : start + 5000])
    employee_ids = [row.employee_id for row in rows]
    for start in range(0, len(employee_ids), _BATCH):
        ids.update(
            Person.objects.filter(
                organisation=organisation, employee_id__in=employee_ids[start : start + _BATCH]
            ).values_list("employee_id", "id")
        )


_KIND = object()


def batch_size() -> int:
    """People written per transaction by an import (UPWARD_IMPORT_BATCH_SIZE)."""
    return max(1, int(getattr(settings, "UPWARD_IMPORT_BATCH_SIZE", 2000)))


def _between_batches() -> None:
    # SQLite has one write lock and no queue for it: a writer waiting on it polls, so the import
    # leaves a short gap after each batch in which a waiting request can take the lock.
    if connection.vendor == "sqlite":
        time.sleep(_SQLITE_GAP_SECONDS)


_SQLITE_GAP_SECONDS = 0.03


class _ImportAudit:
    """History rows for a bulk import, which bypasses the per-save audit signals."""

    def __init__(self, *, by: Any, where: str) -> None:
        self.by = by if getattr(by, "is_authenticated", False) else None
        self.where = where
        # Every batch's rows carry the import's one time, so the audit shows the import as one
        # entry however many batches wrote it.
        self.at = timezone.now()

    def write(self, *, created: Sequence[int] = (), updated: Sequence[int] = ()) -> None:
        """Copy the rows just written into the history table (in the caller's transaction)."""
        history = getattr(Person, "history", None)
        if history is None:  # the audit app is not installed
            return
        # One INSERT ... SELECT per batch copies the rows just written into the history table;
        # building a model instance per row made a 100,000-row import take twice as long.
        model = history.model
        source = {f.column for f in Person._meta.concrete_fields}
        quote = connection.ops.quote_name
        stamp = {
            "history_date": connection.ops.adapt_datetimefield_value(self.at),
            "history_user_id": getattr(self.by, "pk", None),
            "history_change_reason": "directory import",
            "history_where": self.where,
        }
        columns: list[str] = []
        selects: list[str] = []
        fixed: list[Any] = []
        for field in model._meta.concrete_fields:
            if field.primary_key:
                continue
            columns.append(quote(field.column))
            if field.column in source:
                selects.append(f"p.{quote(field.column)}")
            elif field.column == "history_type":
                selects.append("%s")
                fixed.append(_KIND)  # filled per batch below
            else:
                selects.append("%s")
                fixed.append(stamp.get(field.column))
        sql = (
            # Table and column names come from the models; every value is a parameter.
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608  # nosec B608
            f"SELECT {', '.join(selects)} FROM {quote(Person._meta.db_table)} p WHERE p.id IN "
        )
        with connection.cursor() as cursor:
            for pks, kind in ((created, "+"), (updated, "~")):
                params_head = [kind if value is _KIND else value for value in fixed]
                for start in range(0, len(pks), _BATCH):
                    chunk = pks[start : start + _BATCH]
                    cursor.execute(
                        sql + f"({', '.join(['%s'] * len(chunk))})", [*params_head, *chunk]
                    )


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def directory_import_apply(
    *,
    organisation: Organisation,
    filename: str,
    data: bytes,
    deactivate_missing: bool = False,
    progress: Progress | None = None,
    on_batch: Callable[[int], None] | None = None,
    by: Any = None,
    where: str = "",
) -> dict[str, int]:
    """Apply a directory file. Every row is checked first: when any has an error, nothing is
    written (ImportRejected).

    Upserts by employee id; running the same file twice changes nothing the second time.
    The writes then go in batches of ``batch_size()`` people, each in its own short transaction
    holding its people's audit history rows (naming ``by``, the user if any, and ``where``, the
    page or command), so another writer waits for one batch at most, never for the whole file
    (SQLite has a single write lock). Managers are created before their reports, so every
    committed batch leaves a whole reporting line. Should the process stop between batches, the
    people written so far stay, and applying the same file again finishes the import: it
    writes only what is still missing or different. ``on_batch(n)`` runs inside each batch's
    transaction, so a count of rows written commits with those rows.
    """
    audit = _ImportAudit(by=by, where=where or f"directory import: {filename}"[:200])
    report = progress or (lambda _fraction: None)
    mark = on_batch or (lambda _count: None)
    size = batch_size()
    plan = plan_import(
        organisation=organisation,
        filename=filename,
        data=data,
        deactivate_missing=deactivate_missing,
        progress=lambda fraction: report(0.1 * fraction),
    )
    if not plan.ok:
        raise ImportRejected(plan)
    report(0.1)
    existing = _existing(organisation)
    new_rows = [r for r in plan.rows if r.employee_id not in existing]
    ids = {emp: rec["id"] for emp, rec in existing.items()}
    diffs: dict[int, tuple[CleanRow, list[str]]] = {}
    for row in plan.rows:
        current = existing.get(row.employee_id)
        if current is not None and (diff := _changed_fields(row, current)):
            diffs[current["id"]] = (row, diff)
    missing: list[int] = []
    if deactivate_missing:
        in_file = {r.employee_id for r in plan.rows}
        missing = [
            rec["id"] for emp, rec in existing.items() if emp not in in_file and rec["active"]
        ]
    total = max(1, len(new_rows) + len(diffs) + len(missing))
    written = 0

    def batch_written(count: int) -> None:
        nonlocal written
        written += count
        mark(count)

    # New people, managers before their reports, so each is created with its manager set.
    depth = _depths(new_rows, {r.employee_id for r in new_rows})
    by_depth: dict[int, list[CleanRow]] = {}
    for row in new_rows:
        by_depth.setdefault(depth[row.employee_id], []).append(row)
    for level in sorted(by_depth):
        for chunk in _chunks(by_depth[level], size):
            with transaction.atomic():
                _insert_people(organisation, chunk, ids)
                audit.write(created=[ids[row.employee_id] for row in chunk])
                batch_written(len(chunk))
            report(0.1 + 0.9 * written / total)
            _between_batches()

    # Changes to people already held: only the fields the file changes are written.
    for chunk in _chunks(list(diffs), size):
        with transaction.atomic():
            people = Person.objects.in_bulk(chunk)
            fields: set[str] = set()
            for pk, person in people.items():
                row, diff = diffs[pk]
                for name in diff:
                    if name == "manager":
                        person.manager_id = ids.get(row.manager_employee_id)
                    else:
                        setattr(person, name, getattr(row, name))
                person.updated_at = timezone.now()
                fields.update(diff)
            Person.objects.bulk_update(
                list(people.values()), [*sorted(fields), "updated_at"], batch_size=500
            )
            audit.write(updated=list(people))
            batch_written(len(chunk))
        report(0.1 + 0.9 * written / total)
        _between_batches()

    deactivated = 0
    for chunk in _chunks(missing, size):
        with transaction.atomic():
            still_active = list(
                Person.objects.filter(pk__in=chunk, active=True).values_list("pk", flat=True)
            )
            deactivated += Person.objects.filter(pk__in=still_active).update(
                active=False, updated_at=timezone.now()
            )
            audit.write(updated=still_active)
            batch_written(len(chunk))
        report(0.1 + 0.9 * written / total)
        _between_batches()
    report(1.0)
    return {**plan.summary(), "deactivations": deactivated}


def directory_import_file(
    *, organisation: Organisation, path: str, deactivate_missing: bool = False
) -> dict[str, int]:
    """Import a directory file from disk (the command-line path), recorded like an upload."""
    with open(path, "rb") as handle:
        data = handle.read()
    name = os.path.basename(path)[:255]
    # Applied in batches like an upload (see directory_import_apply): if the command stops half
    # way, running it again with the same file finishes the import.
    summary = directory_import_apply(
        organisation=organisation,
        filename=path,
        data=data,
        deactivate_missing=deactivate_missing,
        where=f"command: import-directory {name}"[:200],
    )
    DirectoryImport.objects.create(
        organisation=organisation,
        filename=name,
        content=b"",
        status=DirectoryImport.Status.DONE,
        summary=summary,
        progress=1.0,
        deactivate_missing=deactivate_missing,
        finished_at=timezone.now(),
    )
    return summary


def organisation_create(*, name: str, slug: str, email_domain: str = "") -> Organisation:
    return Organisation.objects.create(name=name, slug=slug, email_domain=email_domain)
