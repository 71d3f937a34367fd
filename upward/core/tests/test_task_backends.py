"""Background work runs through the database worker by default, or RQ on Redis for scale-out."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks import task_backends

from upward.directory.models import DirectoryImport, Organisation
from upward.directory.services import directory_import_confirm, directory_import_stage

CSV = b"employee_id,name,manager_employee_id\nB1,Bea Boss,\nB2,Ben Report,B1\n"


@pytest.fixture
def staged(db: Any) -> DirectoryImport:
    organisation = Organisation.objects.create(name="Acme", slug="acme")
    return directory_import_stage(organisation=organisation, filename="p.csv", data=CSV)


@pytest.mark.django_db(transaction=True)
def test_import_runs_in_the_database_worker(staged: DirectoryImport) -> None:
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    ):
        directory_import_confirm(staged=staged)
        staged.refresh_from_db()
        # Queued, not run at once: the worker below does the work.
        assert staged.status == DirectoryImport.Status.QUEUED
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    staged.refresh_from_db()
    assert staged.status == DirectoryImport.Status.DONE
    assert staged.organisation.people.count() == 2


@pytest.mark.django_db(transaction=True)
def test_import_runs_on_rq_with_redis(staged: DirectoryImport) -> None:
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        if os.environ.get("UPWARD_REQUIRE_SERVICES"):
            pytest.fail("REDIS_URL is not set but services are required")
        pytest.skip("REDIS_URL is not set: no Redis server to test the RQ backend against")
    from redis import Redis
    from rq import Queue, SimpleWorker

    connection = Redis.from_url(redis_url)
    queue = Queue("default", connection=connection)
    queue.empty()
    with override_settings(
        REDIS_URL=redis_url,
        TASKS={"default": {"BACKEND": "upward.core.rq_backend.RQBackend", "QUEUES": ["default"]}},
    ):
        directory_import_confirm(staged=staged)
        assert queue.count == 1
        job_id = queue.job_ids[0]
        SimpleWorker([queue], connection=connection).work(burst=True)
        result = task_backends["default"].get_result(job_id)
        assert result.status == "SUCCESSFUL"
    staged.refresh_from_db()
    assert staged.status == DirectoryImport.Status.DONE
    assert staged.organisation.people.count() == 2
