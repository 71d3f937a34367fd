from __future__ import annotations

from typing import Any

from ..models import Application, Programme, ProgrammeLog


def log(
    programme: Programme,
    actor: Any,
    action: str,
    summary: str,
    *,
    reason: str = "",
    application: Application | None = None,
) -> ProgrammeLog:
    return ProgrammeLog.objects.create(
        programme=programme,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        summary=summary[:300],
        reason=reason,
        application=application,
    )
