"""HRIS sync: a directory file from the HR system, previewed as a diff, then applied whole.

A file arrives from the organisation's drop folder (``UPWARD_DATA_DIR/hris/<slug>/``) or the
upload API. It is checked row by row like a manual import (``services.plan_import``); a file with
any bad row, or a manager cycle, is refused and nothing changes. Otherwise the diff (new people,
changes, leavers) is kept for the organisation's admin to approve, or applied at once when the
organisation says so. Applying is one transaction: nothing is ever half-applied.

Two things reach the programmes' coordinators, by a flag on the programme and one email:
leavers' live pairs and open applications (when applied), and a manager change that would put a
live pair inside one reporting line (at once, on the preview, applied or not: the pair would break
the first rule).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from upward.core.errors import RuleBroken
from upward.notifications.services import notify

from .importer import DirectoryFileError, safe_label
from .models import HrisFlag, HrisSetting, HrisSync, Organisation
from .services.apply import _existing, directory_import_apply, plan_import

# The fields a diff names when they change (manager is compared by employee id).
DIFF_FIELDS = (
    "name",
    "email",
    "grade",
    "grade_level",
    "department",
    "job_title",
    "active",
    "manager",
)
ENTRY_KINDS = ("new", "changes", "leavers")
FILE_SUFFIXES = (".csv", ".xlsx")
MAX_FILE_BYTES = 50_000_000
# Files whose lists of people are kept; older ones keep their counts only.
KEEP_LISTS = 10
_LIVE_PAIR_STATES = ("preparing", "active", "paused")
_OPEN_APPLICATION_STATUSES = ("submitted", "accepted", "waitlisted")


class HrisSyncRefused(RuleBroken):
    """The sync cannot go ahead; nothing changed."""


def setting_for(organisation: Organisation) -> HrisSetting:
    setting, _ = HrisSetting.objects.get_or_create(organisation=organisation)
    return setting


def setting_update(*, organisation: Organisation, auto_apply: bool) -> HrisSetting:
    setting = setting_for(organisation)
    setting.auto_apply = auto_apply
    setting.save(update_fields=["auto_apply", "updated_at"])
    return setting


def drop_folder(organisation: Organisation) -> Path:
    """Where the HR system drops this organisation's files."""
    return Path(settings.DATA_DIR) / "hris" / organisation.slug


# --- the diff --------------------------------------------------------------------------------


class _Lines:
    """Reporting lines over employee ids, built once for many pair checks.

    Reuses the matching engine's tree of reporting lines, so the rule is the one matching uses.
    """

    def __init__(self, manager_of: dict[str, str]) -> None:
        from upward.matching.orgtree import OrgTree

        self.tree = OrgTree.from_managers({emp: (m or None) for emp, m in manager_of.items()})

    def same(self, a: str, b: str) -> bool:
        if a == b:
            return True
        if a not in self.tree or b not in self.tree:
            return False
        return bool(self.tree.in_same_line(self.tree.index(a), self.tree.index(b)))


def _live_pairs(organisation: Organisation) -> list[Any]:
    from upward.pairs.models import Pair

    return list(
        Pair.objects.filter(
            state__in=_LIVE_PAIR_STATES, leader__person__organisation=organisation
        ).select_related("leader__person", "mentor__person", "programme")
    )


def compute_diff(*, organisation: Organisation, filename: str, data: bytes) -> dict[str, Any]:
    """What the file would change. Raises HrisSyncRefused when the file has errors."""
    try:
        plan = plan_import(
            organisation=organisation, filename=filename, data=data, deactivate_missing=True
        )
    except DirectoryFileError as exc:
        raise HrisSyncRefused(str(exc)) from None
    if not plan.ok:
        raise _Rejected([e.as_dict() for e in plan.errors])
    existing = _existing(organisation)
    in_file = {row.employee_id for row in plan.rows}
    new: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    leavers: list[dict[str, Any]] = []
    after = {emp: rec["manager_employee_id"] for emp, rec in existing.items()}
    for row in plan.rows:
        current = existing.get(row.employee_id)
        if "manager_employee_id" in row.present or current is None:
            after[row.employee_id] = row.manager_employee_id
        if current is None:
            new.append(
                {
                    "employee_id": row.employee_id,
                    "name": row.name,
                    "department": row.department,
                    "grade": row.grade,
                    "manager": row.manager_employee_id,
                }
            )
            continue
        if current["active"] and "active" in row.present and not row.active:
            leavers.append({"employee_id": row.employee_id, "name": current["name"]})
            continue
        fields: dict[str, list[Any]] = {}
        for name in DIFF_FIELDS:
            if name == "manager":
                if (
                    "manager_employee_id" in row.present
                    and row.manager_employee_id != current["manager_employee_id"]
                ):
                    fields["manager"] = [current["manager_employee_id"], row.manager_employee_id]
            elif (name in row.present or name == "name") and getattr(row, name) != current[name]:
                fields[name] = [current[name], getattr(row, name)]
        if fields:
            changes.append({"employee_id": row.employee_id, "name": row.name, "fields": fields})
    for emp, rec in existing.items():
        if emp not in in_file and rec["active"]:
            leavers.append({"employee_id": emp, "name": rec["name"]})
    leaver_ids = {entry["employee_id"] for entry in leavers}

    conflicts: list[dict[str, Any]] = []
    leaver_pairs: list[dict[str, Any]] = []
    pairs = _live_pairs(organisation)
    if pairs:  # the trees are built only when there are pairs to check
        lines_before = _Lines({e: rec["manager_employee_id"] for e, rec in existing.items()})
        lines_after = _Lines(after)
    for pair in pairs:
        a, b = pair.leader.person.employee_id, pair.mentor.person.employee_id
        entry = {"pair": pair.pk, "programme": pair.programme.slug, "leader": a, "mentor": b}
        if a in leaver_ids or b in leaver_ids:
            leaver_pairs.append(entry)
        elif lines_after.same(a, b) and not lines_before.same(a, b):
            conflicts.append(entry)
    from upward.programmes.models import Application

    leaver_applications = [
        {"application": pk, "programme": slug, "employee_id": emp}
        for pk, slug, emp in Application.objects.filter(
            person__organisation=organisation,
            person__employee_id__in=leaver_ids,
            status__in=_OPEN_APPLICATION_STATUSES,
        ).values_list("pk", "programme__slug", "person__employee_id")[:5000]
    ]
    return {
        "counts": {
            "new": len(new),
            "changes": len(changes),
            "leavers": len(leavers),
            "unchanged": plan.unchanged,
            "reporting_line_pairs": len(conflicts),
            "leaver_pairs": len(leaver_pairs),
            "leaver_applications": len(leaver_applications),
        },
        "new": new,
        "changes": changes,
        "leavers": leavers,
        "reporting_line_pairs": conflicts,
        "leaver_pairs": leaver_pairs,
        "leaver_applications": leaver_applications,
    }


class _Rejected(Exception):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} row(s) have errors")


def entries(sync: HrisSync, kind: str) -> list[dict[str, Any]]:
    return list((sync.diff or {}).get(kind, [])) if kind in ENTRY_KINDS else []


# --- flags to coordinators ---------------------------------------------------------------------


def _coordinator_emails(programme_ids: Iterable[int]) -> dict[int, list[str]]:
    from upward.accounts.models import Role, RoleGrant

    emails: dict[int, list[str]] = {}
    for programme_id, email in RoleGrant.objects.filter(
        role=Role.COORDINATOR, programme_id__in=list(programme_ids)
    ).values_list("programme_id", "user__email"):
        if email:
            emails.setdefault(programme_id, []).append(email)
    return emails


def _flag(sync: HrisSync, flags: list[HrisFlag]) -> list[HrisFlag]:
    """Record the flags and email each programme's coordinators once about them."""
    made = []
    for flag in flags:
        exists = HrisFlag.objects.filter(
            sync__organisation=sync.organisation,
            kind=flag.kind,
            pair=flag.pair,
            application=flag.application,
        ).exists()
        if not exists:
            flag.save()
            made.append(flag)
    by_programme: dict[int, list[HrisFlag]] = {}
    for flag in made:
        by_programme.setdefault(flag.programme_id, []).append(flag)
    emails = _coordinator_emails(by_programme)
    for programme_id, programme_flags in by_programme.items():
        to = emails.get(programme_id, [])
        programme = programme_flags[0].programme
        for address in to:
            notify(
                to=address,
                event="directory_flags",
                subject=f"Directory changes affect {programme.name}",
                context={
                    "programme_name": programme.name,
                    "messages": [f.message for f in programme_flags],
                    "url": reverse("directory:programme_flags", args=[programme.slug]),
                },
                programme=programme,
            )
        HrisFlag.objects.filter(pk__in=[f.pk for f in programme_flags]).update(
            emailed_at=timezone.now()
        )
    return made


def _reporting_line_flags(sync: HrisSync) -> list[HrisFlag]:
    from upward.pairs.models import Pair

    flags = []
    for entry in (sync.diff or {}).get("reporting_line_pairs", []):
        pair = Pair.objects.select_related("programme").filter(pk=entry["pair"]).first()
        if pair is None:
            continue
        flags.append(
            HrisFlag(
                sync=sync,
                programme=pair.programme,
                kind=HrisFlag.Kind.REPORTING_LINE,
                pair=pair,
                message=(
                    f"Pair {pair.pk}: a manager change in the HR system's file puts"
                    f" {entry['leader']} and {entry['mentor']} inside one reporting line,"
                    " which breaks the first rule of pairing."
                ),
            )
        )
    return _flag(sync, flags)


def _leaver_flags(sync: HrisSync) -> list[HrisFlag]:
    from upward.pairs.models import Pair
    from upward.programmes.models import Application

    diff = sync.diff or {}
    flags = []
    for entry in diff.get("leaver_pairs", []):
        pair = Pair.objects.select_related("programme").filter(pk=entry["pair"]).first()
        if pair is not None:
            flags.append(
                HrisFlag(
                    sync=sync,
                    programme=pair.programme,
                    kind=HrisFlag.Kind.LEAVER_PAIR,
                    pair=pair,
                    message=(
                        f"Pair {pair.pk} ({entry['leader']} and {entry['mentor']}): one of the"
                        " two has left the organisation."
                    ),
                )
            )
    for entry in diff.get("leaver_applications", []):
        app = Application.objects.select_related("programme").filter(pk=entry["application"])
        application = app.first()
        if application is not None:
            flags.append(
                HrisFlag(
                    sync=sync,
                    programme=application.programme,
                    kind=HrisFlag.Kind.LEAVER_APPLICATION,
                    application=application,
                    message=f"The applicant {entry['employee_id']} has left the organisation.",
                )
            )
    return _flag(sync, flags)


# --- staging and applying ----------------------------------------------------------------------


def sync_stage(
    *,
    organisation: Organisation,
    filename: str,
    data: bytes,
    source: str = HrisSync.Source.UPLOAD,
    by: Any = None,
) -> HrisSync:
    """Check a file and keep its diff; flag reporting-line pairs at once; apply it when the
    organisation applies HRIS changes automatically.

    A file that cannot be read at all is refused (HrisSyncRefused) and not kept; a file with bad
    rows is kept as rejected, with its errors, and changes nothing.
    """
    name = os.path.basename(filename)[:255] or "directory.csv"
    if not name.lower().endswith(FILE_SUFFIXES):
        raise HrisSyncRefused("Send a CSV (.csv) or Excel (.xlsx) file.")
    if not data:
        raise HrisSyncRefused("The file is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise HrisSyncRefused(f"The file is larger than {MAX_FILE_BYTES // 1_000_000} MB.")
    sync = HrisSync(
        organisation=organisation,
        source=source,
        filename=name,
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    try:
        sync.diff = compute_diff(organisation=organisation, filename=name, data=data)
    except _Rejected as rejected:
        sync.status = HrisSync.Status.REJECTED
        sync.errors = rejected.errors
        sync.content = b""
        sync.save()
        _trim_old(organisation)
        return sync
    sync.status = HrisSync.Status.PREVIEWED
    sync.save()
    _trim_old(organisation)
    _reporting_line_flags(sync)
    if setting_for(organisation).auto_apply:
        sync_apply(sync=sync, by=by)
    return sync


def _trim_old(organisation: Organisation) -> None:
    """Only the newest KEEP_LISTS files keep who was in them; older ones keep their counts.

    A file still waiting for approval is dropped as superseded: it can no longer be applied.
    """
    keep = list(organisation.hris_syncs.values_list("pk", flat=True)[:KEEP_LISTS])
    old = organisation.hris_syncs.exclude(pk__in=keep)
    old.filter(status=HrisSync.Status.PREVIEWED).update(status=HrisSync.Status.DISMISSED)
    for pk, diff in old.exclude(diff={}).values_list("pk", "diff"):
        if set(diff) != {"counts"}:
            HrisSync.objects.filter(pk=pk).update(
                diff={"counts": diff.get("counts", {})}, errors=[], content=b""
            )


def sync_apply(*, sync: HrisSync, by: Any = None) -> HrisSync:
    """Apply a previewed sync, whole or not at all, and flag leavers to their coordinators."""
    with transaction.atomic():
        locked = HrisSync.objects.select_for_update().get(pk=sync.pk)
        if locked.status != HrisSync.Status.PREVIEWED:
            raise HrisSyncRefused(
                f"This file is {locked.get_status_display().lower()}; only a file waiting for"
                " approval can be applied."
            )
        newer = HrisSync.objects.filter(
            organisation=locked.organisation,
            created_at__gt=locked.created_at,
            status__in=(HrisSync.Status.PREVIEWED, HrisSync.Status.APPLIED),
        ).exists()
        if newer:
            raise HrisSyncRefused("A newer file from the HR system has arrived; apply that one.")
        # The directory may have changed since the preview: the diff is made again.
        try:
            locked.diff = compute_diff(
                organisation=locked.organisation,
                filename=locked.filename,
                data=bytes(locked.content),
            )
        except _Rejected as rejected:
            raise HrisSyncRefused(
                f"The file no longer fits the directory: {len(rejected.errors)} row(s) have"
                " errors. Nothing was changed."
            ) from None
        directory_import_apply(
            organisation=locked.organisation,
            filename=locked.filename,
            data=bytes(locked.content),
            deactivate_missing=True,
            by=by,
            where=f"HRIS sync: {safe_label(locked.filename, 150)}",
        )
        locked.status = HrisSync.Status.APPLIED
        locked.applied_at = timezone.now()
        locked.content = b""
        locked.save(update_fields=["status", "applied_at", "content", "diff"])
        _reporting_line_flags(locked)
        _leaver_flags(locked)
    sync.refresh_from_db()
    return sync


def sync_dismiss(*, sync: HrisSync) -> HrisSync:
    if sync.status != HrisSync.Status.PREVIEWED:
        raise HrisSyncRefused("Only a file waiting for approval can be dismissed.")
    HrisSync.objects.filter(pk=sync.pk).update(status=HrisSync.Status.DISMISSED, content=b"")
    sync.refresh_from_db()
    return sync


def sync_from_folder(organisation: Organisation) -> HrisSync | None:
    """Stage the newest file in the organisation's drop folder, unless it was seen already."""
    folder = drop_folder(organisation)
    if not folder.is_dir():
        return None
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in FILE_SUFFIXES]
    if not files:
        return None
    newest = max(files, key=lambda p: (p.stat().st_mtime, p.name))
    data = newest.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if HrisSync.objects.filter(organisation=organisation, sha256=digest).exists():
        return None
    try:
        sync = sync_stage(
            organisation=organisation,
            filename=newest.name,
            data=data,
            source=HrisSync.Source.FOLDER,
        )
    except HrisSyncRefused as exc:
        sync = HrisSync.objects.create(
            organisation=organisation,
            source=HrisSync.Source.FOLDER,
            filename=newest.name[:255],
            sha256=digest,
            content=b"",
            status=HrisSync.Status.REJECTED,
            errors=[{"row": 0, "employee_id": "", "reason": str(exc)}],
        )
    if sync.status != HrisSync.Status.APPLIED:
        _tell_admins(sync)
    return sync


def _tell_admins(sync: HrisSync) -> None:
    """A file from the drop folder that waits for approval, or was refused: its admins hear."""
    from upward.accounts.models import Role, RoleGrant

    to = sorted(
        set(
            RoleGrant.objects.filter(
                role=Role.ORG_ADMIN, organisation=sync.organisation
            ).values_list("user__email", flat=True)
        )
        - {""}
    )
    if not to:
        return
    url = reverse("directory:sync_detail", args=[sync.organisation.slug, sync.pk])
    refused = sync.status == HrisSync.Status.REJECTED
    subject = (
        f"The HR system's file for {sync.organisation.name} was refused"
        if refused
        else f"Directory changes for {sync.organisation.name} wait for your approval"
    )
    for address in to:
        notify(
            to=address,
            event="hris_file",
            subject=subject,
            context={
                "refused": refused,
                "sync": sync,
                "problems": len(sync.errors),
                "counts": (sync.diff or {}).get("counts", {}),
                "url": url,
            },
        )


def sync_all_folders() -> list[HrisSync]:
    """One pass over every organisation's drop folder (the scheduled task and the command)."""
    staged = []
    for organisation in Organisation.objects.filter(~Q(slug="")):
        sync = sync_from_folder(organisation)
        if sync is not None:
            staged.append(sync)
    return staged


def flags_for(organisation: Organisation) -> Any:
    return HrisFlag.objects.filter(sync__organisation=organisation).select_related(
        "programme", "sync"
    )
