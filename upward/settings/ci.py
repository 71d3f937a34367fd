"""Settings for CI's static checks: the local settings plus the migration linter's command.

``DJANGO_SETTINGS_MODULE=upward.settings.ci upward lintmigrations`` (from .ci/run) refuses a
backward-incompatible migration (a dropped or renamed column or table, a new NOT NULL column
without a default, ...) unless it is listed below with the reason it is safe.
"""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "django_migration_linter"]
MIGRATION_LINTER_OPTIONS = {
    "no_cache": True,
    # Upward's own apps; third-party migrations are their projects' concern.
    "include_apps": [app.rsplit(".", 1)[-1] for app in INSTALLED_APPS if app.startswith("upward.")],
    # Documented exceptions (docs/deployment.md, "Safe migrations"): migrations written before
    # the linter ran in CI. Each is released already, so every site has applied it; they are
    # never linted again. New migrations get no such entry without a reason written beside it.
    "ignore_name": [
        # The accounts tables' second initial migration: the tables are new in the same
        # release, so no running code reads or writes them yet.
        "0002_initial",
        # NOT NULL columns added with a default that the migration fills in for existing rows
        # (directory imports' heartbeat, programmes' versions, blind proposals). Code older
        # than each would fail to insert a row once it ran, so those releases stop the app
        # processes while `migrate` runs (docs/deployment.md). Released before linting began.
        "0003_import_heartbeat",
        "0004_versions",
        "0006_programme_blind_proposals",
        # Widens preparation_workshop.kind from 8 to 12 characters (for "celebration"): a
        # longer varchar accepts every value older code writes, so old and new code both run.
        "0002_i17b_cohort_event_kinds",
        # Drops the cohort's notification tables after notifications' 0002_from_cohort copied
        # every row into the notifications app's tables (same release). Code older than it
        # writes the old tables, so that release stops the app processes while `migrate` runs.
        "0002_notifications_moved",
    ],
}
