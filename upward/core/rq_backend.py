"""A task backend that queues work on Redis with RQ, for running workers on other machines.

Select it with ``UPWARD_TASK_BACKEND=rq`` and ``REDIS_URL``; run workers with
``upward rq-worker``. Tasks are the same ``@task`` functions the database backend runs.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist
from django_tasks.utils import get_module_path, get_random_id
from redis import Redis
from rq import Queue
from rq.job import Job, JobStatus

_STATUS = {
    JobStatus.QUEUED: TaskResultStatus.READY,
    JobStatus.SCHEDULED: TaskResultStatus.READY,
    JobStatus.DEFERRED: TaskResultStatus.READY,
    JobStatus.STARTED: TaskResultStatus.RUNNING,
    JobStatus.FINISHED: TaskResultStatus.SUCCESSFUL,
    JobStatus.FAILED: TaskResultStatus.FAILED,
    JobStatus.STOPPED: TaskResultStatus.FAILED,
    JobStatus.CANCELED: TaskResultStatus.FAILED,
}


def redis_connection() -> Redis:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        raise RuntimeError("The RQ task backend needs REDIS_URL to be set.")
    return Redis.from_url(url)


def run_task(task_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """What an RQ worker runs: find the task by its import path and call it."""
    task: Task[Any, Any] = import_string(task_path)
    return task.call(*args, **kwargs)


class RQBackend(BaseTaskBackend):
    supports_get_result = True

    def enqueue(self, task: Task[Any, Any], args: Any, kwargs: Any) -> TaskResult[Any]:
        self.validate_task(task)
        result_id = get_random_id()
        queue = Queue(task.queue_name, connection=redis_connection())
        queue.enqueue(
            run_task,
            get_module_path(task.func),
            list(args),
            dict(kwargs),
            job_id=result_id,
            result_ttl=7 * 24 * 3600,
            failure_ttl=7 * 24 * 3600,
        )
        return TaskResult(
            task=task,
            id=result_id,
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )

    def get_result(self, result_id: str) -> TaskResult[Any]:
        try:
            job = Job.fetch(result_id, connection=redis_connection())
        except Exception as exc:  # rq raises NoSuchJobError, or a Redis error
            raise TaskResultDoesNotExist(result_id) from exc
        task: Task[Any, Any] = import_string(job.args[0])
        status = _STATUS.get(job.get_status(), TaskResultStatus.READY)
        result: TaskResult[Any] = TaskResult(
            task=task,
            id=result_id,
            status=status,
            enqueued_at=job.enqueued_at,
            started_at=job.started_at,
            last_attempted_at=job.started_at,
            finished_at=job.ended_at,
            args=job.args[1],
            kwargs=job.args[2],
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        if status == TaskResultStatus.SUCCESSFUL:
            object.__setattr__(result, "_return_value", job.return_value())
        return result
