"""Writes to the directory. Every change to people goes through a function here."""

from .apply import (
    ImportRejected,
    batch_size,
    directory_import_apply,
    directory_import_file,
    organisation_create,
    plan_import,
)
from .jobs import (
    ImportAbandoned,
    directory_import_check,
    directory_import_confirm,
    directory_import_run,
    directory_import_stage,
    directory_import_upload,
    directory_imports_reap,
    stale_seconds,
)

__all__ = [
    "ImportAbandoned",
    "ImportRejected",
    "batch_size",
    "directory_import_apply",
    "directory_import_check",
    "directory_import_confirm",
    "directory_import_file",
    "directory_import_run",
    "directory_import_stage",
    "directory_import_upload",
    "directory_imports_reap",
    "organisation_create",
    "plan_import",
    "stale_seconds",
]
