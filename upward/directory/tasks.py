from __future__ import annotations

from django_tasks import task


@task()
def check_directory_import(import_id: int) -> None:
    from .services import directory_import_check

    directory_import_check(import_id=import_id)


@task()
def run_directory_import(import_id: int) -> None:
    from .services import directory_import_run

    directory_import_run(import_id=import_id)


@task()
def sync_hris_folders() -> int:
    """Stage (and, where the organisation says so, apply) the newest file of each drop folder."""
    from .sync import sync_all_folders

    return len(sync_all_folders())
