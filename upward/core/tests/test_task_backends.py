"""Background work runs through the database worker by default, or RQ on Redis (django-tasks-rq)
for scale-out; either way ``upward worker`` starts the worker."""

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
# Redis database 14 is this module's own: it is emptied before each test.
REDIS_TEST_URL = "redis://127.0.0.1:6379/14"
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


@pytest.fixture
def staged(db: Any) -> DirectoryImport:
    organisation = Organisation.objects.create(name="Acme", slug="acme")
    return directory_import_stage(organisation=organisation, filename="p.csv", data=CSV)


@pytest.fixture
def redis_url() -> str:
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    try:
        Redis.from_url(REDIS_TEST_URL).flushdb()
    except RedisDown:
        if os.environ.get("UPWARD_REQUIRE_SERVICES") or os.environ.get("REDIS_URL"):
            pytest.fail("Redis is required but does not answer on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379 to test the RQ backend against")
    return REDIS_TEST_URL


@pytest.mark.django_db(transaction=True)
def test_import_runs_in_the_database_worker(staged: DirectoryImport) -> None:
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    ):
        directory_import_confirm(staged=staged)
        staged.refresh_from_db()
        # Queued, not run at once: the worker below does the work.
        assert staged.status == DirectoryImport.Status.QUEUED
        call_command("worker", burst=True, verbosity=0)
    staged.refresh_from_db()
    assert staged.status == DirectoryImport.Status.DONE
    assert staged.organisation.people.count() == 2


@pytest.mark.django_db(transaction=True)
def test_import_runs_on_rq_with_redis(staged: DirectoryImport, redis_url: str) -> None:
    import django_rq

    with override_settings(RQ_QUEUES={"default": {"URL": redis_url}}, TASKS=RQ_TASKS):
        queue = django_rq.get_queue("default")
        directory_import_confirm(staged=staged)
        assert queue.count == 1
        job_id = queue.job_ids[0]
        result = task_backends["default"].get_result(job_id)
        assert result.status == "READY"
        staged.refresh_from_db()
        assert staged.status == DirectoryImport.Status.QUEUED
        # `upward worker` picks the RQ worker with the job class that runs Django tasks.
        # In-process (no fork): the test database lives in this process's memory.
        call_command("worker", burst=True, no_fork=True, verbosity=0)
        result = task_backends["default"].get_result(job_id)
        assert result.status == "SUCCESSFUL"
        assert queue.count == 0
    staged.refresh_from_db()
    assert staged.status == DirectoryImport.Status.DONE
    assert staged.organisation.people.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_task_that_fails_on_rq_shows_as_failed_with_its_error(redis_url: str) -> None:
    from upward.core.tests.tasks_for_tests import always_fails

    with override_settings(RQ_QUEUES={"default": {"URL": redis_url}}, TASKS=RQ_TASKS):
        queued = always_fails.enqueue()
        # In-process (no fork): the test database lives in this process's memory.
        call_command("worker", burst=True, no_fork=True, verbosity=0)
        result = task_backends["default"].get_result(queued.id)
    assert result.status == "FAILED"
    assert result.errors[0].exception_class_path == "builtins.RuntimeError"
