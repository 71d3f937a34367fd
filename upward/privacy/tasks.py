from __future__ import annotations

from django_tasks import task

from .audit import audit_where


@task()
def apply_retention() -> dict[str, int]:
    """Delete the personal data of ended programmes past their retention period."""
    from .services import retention_apply

    with audit_where("task: apply_retention"):
        runs = retention_apply()
    return {"programmes_purged": len(runs)}
