"""An uploaded directory file's life: kept, checked by the task worker, previewed, applied by
the task worker, and failed when its worker dies."""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..importer import DirectoryFileError, safe_label
from ..models import DirectoryImport, Organisation
from . import apply
from .apply import ImportRejected, Progress

logger = logging.getLogger(__name__)


def directory_import_upload(
    *,
    organisation: Organisation,
    filename: str,
    data: bytes,
    by: Any = None,
    deactivate_missing: bool = False,
) -> DirectoryImport:
    """Keep an uploaded file and check it in the background; nothing in the directory changes.

    Reading and checking a large file takes longer than a request may, so the page that follows
    shows the check's progress, then the preview.
    """
    from ..tasks import check_directory_import

    with transaction.atomic():
        staged = _stage(
            organisation=organisation,
            filename=filename,
            data=data,
            by=by,
            deactivate_missing=deactivate_missing,
        )
        transaction.on_commit(lambda: check_directory_import.enqueue(staged.pk))
    return staged


def directory_import_stage(
    *,
    organisation: Organisation,
    filename: str,
    data: bytes,
    by: Any = None,
    deactivate_missing: bool = False,
) -> DirectoryImport:
    """Keep a file and check it now, in this process (the command line and tests)."""
    staged = _stage(
        organisation=organisation,
        filename=filename,
        data=data,
        by=by,
        deactivate_missing=deactivate_missing,
    )
    return directory_import_check(import_id=staged.pk)


def _stage(
    *, organisation: Organisation, filename: str, data: bytes, by: Any, deactivate_missing: bool
) -> DirectoryImport:
    return DirectoryImport.objects.create(
        organisation=organisation,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
        filename=safe_label(filename, 255),
        content=data,
        status=DirectoryImport.Status.CHECKING,
        deactivate_missing=deactivate_missing,
    )


def _progress_writer(import_id: int, start: float = 0.0, span: float = 1.0) -> Progress:
    """Record progress on the import row (at most once per percent) with the worker's heartbeat."""
    last = [-1.0, time.monotonic()]

    def write(fraction: float) -> None:
        value = round(start + span * fraction, 2)
        if value > last[0] or time.monotonic() - last[1] > _HEARTBEAT_SECONDS:
            last[0], last[1] = value, time.monotonic()
            DirectoryImport.objects.filter(pk=import_id).update(
                progress=value, heartbeat_at=timezone.now()
            )

    return write


_HEARTBEAT_SECONDS = 10.0


def stale_seconds() -> int:
    """How long a working import may go without a heartbeat before it counts as dead."""
    return max(30, int(getattr(settings, "UPWARD_IMPORT_STALE_SECONDS", 300)))


_FAILED_FILE_KEPT = dt.timedelta(days=1)


def directory_imports_reap(*, organisation: Organisation | None = None) -> int:
    """Mark as failed each import whose worker stopped; returns how many.

    A worker killed mid-way (a restart, the memory limit) leaves its import checking or running
    for good; the heartbeat it no longer writes tells. A dead import that wrote nothing loses
    its file (upload it again); one that wrote part of its file keeps the file for a day so it
    can be finished, then loses it too. Runs when an import page opens, when the worker starts
    a directory task, and in ``upward apply-retention``.
    """
    now = timezone.now()
    dead_before = now - dt.timedelta(seconds=stale_seconds())
    working = DirectoryImport.objects.filter(
        status__in=[DirectoryImport.Status.CHECKING, DirectoryImport.Status.RUNNING],
        heartbeat_at__lt=dead_before,
    )
    if organisation is not None:
        working = working.filter(organisation=organisation)
    reaped = 0
    for pk, status, written, summary in working.values_list("pk", "status", "written", "summary"):
        if status == DirectoryImport.Status.CHECKING:
            reason = (
                "The check of this file stopped before it finished: the task worker ended."
                " Nothing was changed. Upload the file again to start a new import."
            )
        elif written == 0:
            reason = (
                "The import stopped before it wrote anyone: the task worker ended. Nothing was"
                " changed. Upload the file again to start a new import."
            )
        else:
            total = sum(summary.get(k, 0) for k in ("creates", "updates", "deactivations"))
            reason = (
                f"The import stopped after writing {written:,} of {total:,} people: the task"
                " worker ended. They are in the directory; finish the import to write the rest."
            )
        changes: dict[str, Any] = {
            "status": DirectoryImport.Status.FAILED,
            "errors": [{"row": 0, "employee_id": "", "reason": reason}],
            "finished_at": now,
        }
        if status == DirectoryImport.Status.CHECKING or written == 0:
            changes["content"] = b""
        # Only if it is still as found: a worker that was slow, not dead, may just have moved on.
        reaped += DirectoryImport.objects.filter(
            pk=pk, status=status, heartbeat_at__lt=dead_before
        ).update(**changes)
    expired = DirectoryImport.objects.filter(
        status=DirectoryImport.Status.FAILED, finished_at__lt=now - _FAILED_FILE_KEPT
    ).exclude(content=b"")
    if organisation is not None:
        expired = expired.filter(organisation=organisation)
    expired.update(content=b"")
    return reaped


def directory_import_check(*, import_id: int) -> DirectoryImport:
    """Read and check a kept file, recording the preview (or the errors) on it.

    A file with errors is not kept: only its errors are.
    """
    directory_imports_reap()
    staged = DirectoryImport.objects.get(pk=import_id)
    if staged.status != DirectoryImport.Status.CHECKING:
        return staged
    DirectoryImport.objects.filter(pk=staged.pk).update(heartbeat_at=timezone.now())
    try:
        plan = apply.plan_import(
            organisation=staged.organisation,
            filename=staged.filename,
            data=bytes(staged.content),
            deactivate_missing=staged.deactivate_missing,
            progress=_progress_writer(staged.pk),
        )
    except DirectoryFileError as exc:
        outcome: dict[str, Any] = {
            "status": DirectoryImport.Status.REJECTED,
            "errors": [{"row": 0, "employee_id": "", "reason": str(exc)}],
            "content": b"",
        }
    except Exception:
        logger.exception("Directory import %s could not be checked", staged.pk)
        outcome = {
            "status": DirectoryImport.Status.FAILED,
            "errors": [{"row": 0, "employee_id": "", "reason": _UNEXPECTED}],
            "content": b"",
            "finished_at": timezone.now(),
        }
    else:
        outcome = {
            "status": DirectoryImport.Status.PREVIEWED
            if plan.ok
            else DirectoryImport.Status.REJECTED,
            "summary": plan.summary(),
            "errors": [e.as_dict() for e in plan.errors[:500]],
        }
        if not plan.ok:
            outcome["content"] = b""
    outcome["progress"] = 0.0
    # Only a file still being checked takes the outcome: one given up on stays as it is.
    DirectoryImport.objects.filter(pk=staged.pk, status=DirectoryImport.Status.CHECKING).update(
        **outcome
    )
    staged.refresh_from_db()
    return staged


_UNEXPECTED = (
    "Something went wrong on our side while handling this file; it has been logged. Nothing"
    " more was changed. Upload the file again to start a new import."
)


class ImportAbandoned(Exception):
    """The import was marked failed while its worker was still writing."""


def directory_import_confirm(*, staged: DirectoryImport) -> DirectoryImport:
    """Queue a previewed file to be applied in the background, or finish a failed import that
    wrote part of its file (applying the same file again writes only what is missing)."""
    from ..tasks import run_directory_import

    with transaction.atomic():
        locked = DirectoryImport.objects.select_for_update().get(pk=staged.pk)
        if locked.status != DirectoryImport.Status.PREVIEWED and not locked.can_finish:
            raise ValueError("This file has already been applied or cannot be applied.")
        locked.status = DirectoryImport.Status.QUEUED
        locked.errors = []
        locked.finished_at = None
        locked.save(update_fields=["status", "errors", "finished_at"])
        transaction.on_commit(lambda: run_directory_import.enqueue(locked.pk))
    return locked


def directory_import_run(*, import_id: int) -> DirectoryImport:
    """Apply a queued file, recording progress, a heartbeat and the people written as it goes."""
    directory_imports_reap()
    staged = DirectoryImport.objects.get(pk=import_id)
    if staged.status not in (DirectoryImport.Status.QUEUED, DirectoryImport.Status.PREVIEWED):
        return staged
    resumed = staged.written > 0
    DirectoryImport.objects.filter(pk=staged.pk).update(
        status=DirectoryImport.Status.RUNNING, heartbeat_at=timezone.now(), progress=0.0
    )
    progress = _progress_writer(staged.pk)

    def on_batch(count: int) -> None:
        # In the batch's transaction: the count commits with the rows it counts, or not at all.
        alive = DirectoryImport.objects.filter(
            pk=staged.pk, status=DirectoryImport.Status.RUNNING
        ).update(written=F("written") + count, heartbeat_at=timezone.now())
        if not alive:
            raise ImportAbandoned

    outcome: dict[str, Any] = {"finished_at": timezone.now()}
    try:
        summary = apply.directory_import_apply(
            organisation=staged.organisation,
            filename=staged.filename,
            data=bytes(staged.content),
            deactivate_missing=staged.deactivate_missing,
            progress=progress,
            on_batch=on_batch,
            by=staged.uploaded_by,
            where=f"directory import {staged.pk}: {staged.filename}"[:200],
        )
    except ImportAbandoned:
        return DirectoryImport.objects.get(pk=staged.pk)
    except ImportRejected as exc:
        outcome["status"] = DirectoryImport.Status.REJECTED
        outcome["errors"] = [e.as_dict() for e in exc.plan.errors[:500]]
        outcome["summary"] = exc.plan.summary()
    except DirectoryFileError as exc:
        outcome["status"] = DirectoryImport.Status.REJECTED
        outcome["errors"] = [{"row": 0, "employee_id": "", "reason": str(exc)}]
    except Exception:
        logger.exception("Directory import %s failed", staged.pk)
        written = DirectoryImport.objects.get(pk=staged.pk).written
        outcome["status"] = DirectoryImport.Status.FAILED
        if written:
            reason = (
                f"The import stopped after writing {written:,} of {staged.to_write:,} people:"
                " something went wrong on our side, and it has been logged. They are in the"
                " directory; finish the import to write the rest."
            )
        else:
            reason = _UNEXPECTED
            outcome["content"] = b""
        outcome["errors"] = [{"row": 0, "employee_id": "", "reason": reason}]
    else:
        outcome["status"] = DirectoryImport.Status.DONE
        # A finished resume keeps the preview's figures: they describe the whole file.
        outcome["summary"] = staged.summary if resumed else summary
        outcome["progress"] = 1.0
    if outcome["status"] != DirectoryImport.Status.FAILED:
        # The file is no longer needed once applied or rejected: keep only the outcome.
        outcome["content"] = b""
    DirectoryImport.objects.filter(pk=staged.pk, status=DirectoryImport.Status.RUNNING).update(
        **outcome
    )
    return DirectoryImport.objects.get(pk=staged.pk)
