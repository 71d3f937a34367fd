"""An HRIS file of organisation A for the access matrix (made on first use)."""

from __future__ import annotations

from typing import Any

from upward.directory.models import HrisSync


def sync(w: Any) -> HrisSync:
    found = HrisSync.objects.filter(organisation=w.org_a).first()
    if found is not None:
        return found
    return HrisSync.objects.create(
        organisation=w.org_a,
        source=HrisSync.Source.UPLOAD,
        filename="hris.csv",
        sha256="0" * 64,
        content=b"employee_id,name\n",
        status=HrisSync.Status.PREVIEWED,
        diff={"counts": {}, "new": [], "changes": [], "leavers": []},
    )


def path_values(w: Any) -> dict[str, Any]:
    return {"sync_id": sync(w).pk}
