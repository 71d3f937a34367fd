"""Writes to personal data are audited: who, when (UTC), where and what changed."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from upward.accounts.models import Role, RoleGrant
from upward.directory.models import Person
from upward.privacy.audit import audit_where, current_where


def test_a_change_records_who_when_where_and_what(
    client: Client, org_admin: Any, org_a: Any
) -> None:
    person = Person.objects.filter(organisation=org_a).first()
    assert person is not None
    person.save()  # directory imports write in bulk, without history: start the history here
    with audit_where("command: fix-titles"):
        person.job_title = "Head of Change"
        person._history_user = org_admin  # type: ignore[attr-defined]
        person.save()
    latest = person.history.first()  # type: ignore[attr-defined]
    assert latest.history_type == "~"
    assert latest.history_user == org_admin
    assert latest.history_where == "command: fix-titles"
    assert latest.history_date.utcoffset().total_seconds() == 0
    changes = latest.diff_against(latest.prev_record).changes
    assert [(c.field, c.new) for c in changes] == [("job_title", "Head of Change")]


def test_without_a_request_the_command_is_named() -> None:
    assert current_where().startswith("command: ")
    with audit_where("task: nightly"):
        assert current_where() == "task: nightly"


def test_role_grants_and_accounts_are_audited(coordinator: Any, org_a: Any) -> None:
    grant = RoleGrant.objects.create(user=coordinator, role=Role.SPONSOR, organisation=org_a)
    grant_id = grant.pk
    grant.delete()
    history = RoleGrant.history  # type: ignore[attr-defined]
    kinds = list(history.filter(id=grant_id).values_list("history_type", flat=True))
    assert sorted(kinds) == ["+", "-"]
    coordinator.display_name = "Corin A."
    coordinator.save()
    assert coordinator.history.first().display_name == "Corin A."  # type: ignore[attr-defined]


def test_signing_in_adds_no_history_and_history_keeps_no_password(
    client: Client, leader: Any
) -> None:
    before = leader.history.count()  # type: ignore[attr-defined]
    client.post(
        reverse("account_login"), {"login": leader.email, "password": "a-long-test-password-42"}
    )
    leader.refresh_from_db()
    assert leader.last_login is not None
    assert leader.history.count() == before  # type: ignore[attr-defined]
    fields = {f.name for f in leader.history.model._meta.fields}  # type: ignore[attr-defined]
    assert "password" not in fields and "last_login" not in fields
