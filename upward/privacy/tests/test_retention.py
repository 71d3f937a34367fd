"""Retention: an ended programme's personal data goes after UPWARD_RETENTION_DAYS."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from upward.accounts.models import Role, RoleGrant
from upward.privacy import registry
from upward.privacy.models import RetentionRun, UserSession
from upward.privacy.services import retention_apply, retention_due
from upward.privacy.tasks import apply_retention


def _ended(programme: Any, days_ago: int) -> None:
    programme.ends_on = timezone.localdate() - timedelta(days=days_ago)
    programme.save(update_fields=["ends_on"])


def test_only_programmes_past_the_period_are_due(
    programme_a: Any, programme_b: Any, settings: Any
) -> None:
    settings.UPWARD_RETENTION_DAYS = 30
    _ended(programme_a, 31)
    _ended(programme_b, 30)
    assert list(retention_due()) == [programme_a]
    settings.UPWARD_RETENTION_DAYS = 10
    assert set(retention_due()) == {programme_a, programme_b}


def test_participants_data_goes_staff_roles_stay(
    programme_a: Any, leader: Any, mentor: Any, sponsor: Any, settings: Any
) -> None:
    settings.UPWARD_RETENTION_DAYS = 30
    _ended(programme_a, 40)
    for user in (leader, mentor):
        RoleGrant.objects.create(user=user, role=Role.PARTICIPANT, programme=programme_a)
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "Purged Reverse Mentoring A" in out.getvalue()
    assert "participant_roles_deleted 2" in out.getvalue()
    assert not RoleGrant.objects.filter(programme=programme_a, role=Role.PARTICIPANT).exists()
    assert RoleGrant.objects.filter(user=sponsor, programme=programme_a).exists()
    history = RoleGrant.history.model  # type: ignore[attr-defined]
    assert not history.objects.filter(programme_id=programme_a.pk, role=Role.PARTICIPANT).exists()
    run = RetentionRun.objects.get(programme=programme_a)
    assert run.summary["programme_roles"] == {"participant_roles_deleted": 2}

    # Idempotent: a second run finds nothing to do.
    again = StringIO()
    call_command("apply_retention", stdout=again)
    assert "No programme ended more than 30 days ago" in again.getvalue()


def test_dry_run_changes_nothing(programme_a: Any, leader: Any, settings: Any) -> None:
    settings.UPWARD_RETENTION_DAYS = 1
    _ended(programme_a, 5)
    RoleGrant.objects.create(user=leader, role=Role.PARTICIPANT, programme=programme_a)
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "Due: Reverse Mentoring A" in out.getvalue()
    assert RoleGrant.objects.filter(user=leader, role=Role.PARTICIPANT).exists()
    assert not RetentionRun.objects.exists()


def test_the_background_task_and_registered_purgers(
    programme_a: Any, settings: Any, monkeypatch: Any
) -> None:
    settings.UPWARD_RETENTION_DAYS = 1
    _ended(programme_a, 5)
    purged = []

    def purge_notes(programme: Any) -> dict[str, int]:
        purged.append(programme.pk)
        return {"notes_deleted": 3}

    monkeypatch.setattr(registry, "_RETENTION", {**registry._RETENTION})
    registry.register_retention("notes", purge_notes)
    result = apply_retention.enqueue()
    assert result.return_value == {"programmes_purged": 1}
    assert purged == [programme_a.pk]
    assert RetentionRun.objects.get().summary["notes"] == {"notes_deleted": 3}


def test_the_command_can_hand_the_work_to_the_worker(programme_a: Any, settings: Any) -> None:
    settings.UPWARD_RETENTION_DAYS = 1
    _ended(programme_a, 5)
    out = StringIO()
    call_command("apply_retention", "--enqueue", stdout=out)
    assert "Queued retention task" in out.getvalue()
    assert RetentionRun.objects.filter(programme=programme_a).exists()  # immediate backend in tests


def test_programmes_without_an_end_date_are_kept(programme_a: Any, db: Any) -> None:
    assert retention_apply(today=date(2100, 1, 1)) == []


def test_stale_session_records_are_forgotten(leader: Any, settings: Any) -> None:
    from django.test import Client

    Client().force_login(leader)
    UserSession.objects.update(created_at=timezone.now() - timedelta(days=2))
    retention_apply()
    assert not UserSession.objects.exists()


def test_an_ended_programmes_records_about_people_go(world: Any, settings: Any) -> None:
    from upward.programmes.models import (
        Application,
        IdentityDisclosure,
        Invitation,
        InvitationWave,
        StakeholderInterview,
    )

    programme = world.programme_a
    settings.UPWARD_RETENTION_DAYS = 30
    _ended(programme, 31)
    assert IdentityDisclosure.objects.filter(application__programme=programme).exists()
    (run,) = retention_apply()
    assert run.summary["programme_records"]["applications_deleted"] == 2
    assert run.summary["programme_records"]["invitations_deleted"] == 2
    for model in (Application, Invitation, StakeholderInterview):
        assert not model.objects.filter(programme=programme).exists(), model
    assert not IdentityDisclosure.objects.filter(application__programme=programme).exists()
    waves = InvitationWave.objects.filter(programme=programme)
    assert [w.criteria for w in waves] == [{} for _ in waves]
    programme.refresh_from_db()
    assert programme.cohorts.filter(pk=world.cohort.pk).exists()
