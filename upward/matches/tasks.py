"""Background work for matching: the engine runs in the task worker, emails go out after the
transaction that caused them commits."""

from __future__ import annotations

from django_tasks import task


@task()
def execute_run(run_id: int) -> str:
    from .services import run_execute

    return str(run_execute(run_id=run_id).status)


@task()
def send_match_emails(kind: str, proposal_ids: list[int], base_url: str = "") -> int:
    from .services import match_emails_send

    return match_emails_send(kind=kind, proposal_ids=proposal_ids, base_url=base_url)
