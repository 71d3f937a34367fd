"""System checks of Upward's own, run by `upward check --deploy`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning as CheckWarning


def check_sqlite_in_production(app_configs: Any, **kwargs: Any) -> list[CheckWarning]:
    """SQLite lets one process write at a time: fine for one process, not for several."""
    engine = settings.DATABASES.get("default", {}).get("ENGINE", "")
    if engine != "django.db.backends.sqlite3":
        return []
    return [
        CheckWarning(
            "The database is SQLite, which lets one process write at a time: with several "
            "web processes or workers, writers wait for each other and requests answer 503.",
            hint="Use PostgreSQL (DATABASE_URL=postgres://...) unless the deployment runs a "
            "single process (UPWARD_SINGLE_PROCESS=1).",
            id="upward.W001",
        )
    ]
