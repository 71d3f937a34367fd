"""Audit of writes: who, when (UTC), where (route or command) and what changed.

Changes are kept by django-simple-history. A model joins the audit with one line in its
``models.py``::

    from upward.privacy.audit import audit_history

    class Application(models.Model):
        ...
        history = audit_history()

then ``upward makemigrations <app>``. Each saved change adds a row to the model's history
table with the signed-in user (``history_user``), the time (``history_date``, stored in UTC),
the route or command (``history_where``) and the full state after the change, so
``record.diff_against(record.prev_record)`` says what changed. Bulk writes (``bulk_create``,
``bulk_update``, ``QuerySet.update``) send no signals: use
``simple_history.utils.bulk_create_with_history`` / ``bulk_update_with_history`` for them.

Reads are audited separately in the access log (``upward.privacy.access_log``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from django.db import models
from simple_history.models import HistoricalRecords

_where: ContextVar[str | None] = ContextVar("upward_audit_where", default=None)

# Fields that change on every sign-in or hold a secret: never copied into history.
USER_EXCLUDED_FIELDS = ["password", "last_login"]


class AuditWhere(models.Model):
    """Adds the route or command that made a change to every history row."""

    history_where = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        abstract = True


def audit_history(**options: Any) -> HistoricalRecords:
    """The history manager every audited model uses (``history = audit_history()``)."""
    bases = options.pop("bases", ())
    return HistoricalRecords(bases=[AuditWhere, *bases], **options)


@contextmanager
def audit_where(label: str) -> Iterator[None]:
    """Name the place changes come from when there is no request (a task, a command)."""
    token = _where.set(label[:200])
    try:
        yield
    finally:
        _where.reset(token)


def _command_label() -> str:
    argv = sys.argv
    if not argv:
        return ""
    parts = [Path(argv[0]).name]
    # Only the command's name: its other arguments may be file names or email addresses.
    if len(argv) > 1 and not argv[1].startswith("-"):
        parts.append(argv[1])
    return "command: " + " ".join(parts)


def current_where() -> str:
    """The route (method and path, never the query string) or command making a change."""
    label = _where.get()
    if label:
        return label
    request = getattr(HistoricalRecords.context, "request", None)
    if request is not None:
        return f"{request.method} {request.path}"[:200]
    return _command_label()[:200]


def request_route(request: Any) -> str:
    """A request's route for the logs: method and path, without the query string."""
    return f"{request.method} {request.path}"[:200]


def history_models() -> list[type[models.Model]]:
    """Every historical model known to the app registry (one per audited model)."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if hasattr(model, "instance_type") and hasattr(model, "history_date")
    ]
