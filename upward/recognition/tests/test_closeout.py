"""Close-out: the confirmation page first, then pairs closed (each person told), certificates
issued, the phase moved on and retention scheduled or applied; a second close is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from upward.pairs.models import Pair
from upward.preparation.tests.factory import colleague, make_pair
from upward.privacy.models import RetentionRun
from upward.privacy.services import retention_apply
from upward.programmes.models import Programme
from upward.recognition import services
from upward.recognition.errors import RecognitionRuleBroken
from upward.recognition.models import Certificate, Closure, Story

from .conftest import closable


def test_the_confirmation_page_shows_what_goes_and_when(
    client: Client, signed_pair: Any, coordinator: Any, leader: Any
) -> None:
    programme = closable(signed_pair.programme)
    client.force_login(coordinator)
    page = client.get(f"/programmes/{programme.slug}/recognition/close/").content.decode()
    retention_on = timezone.localdate() + dt.timedelta(days=366)
    assert "1 active or paused pair is marked completed" in page
    assert "2 certificates are issued" in page
    assert retention_on.strftime("%-d %B %Y") in page
    assert "Pairs: pairs_deleted" in page
    # Looking changes nothing: the preview's deletions were rolled back.
    assert Pair.objects.filter(pk=signed_pair.pk).exists()
    assert not Closure.objects.exists()
    client.force_login(leader)
    assert client.get(f"/programmes/{programme.slug}/recognition/close/").status_code == 404


def test_closing_closes_pairs_tells_people_issues_certificates_and_schedules_retention(
    client: Client,
    signed_pair: Any,
    coordinator: Any,
    leader: Any,
    mentor: Any,
    org_a: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    programme = closable(signed_pair.programme)
    other = make_pair(
        programme, colleague(org_a, "c1@upward.test", 5), colleague(org_a, "c2@upward.test", 6)
    )
    assert other.state == Pair.State.PREPARING
    Story.objects.create(pair=signed_pair, author=mentor, title="T", body="B")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/programmes/{programme.slug}/recognition/close/", {"version": programme.version}
        )
    assert response.status_code == 302
    signed_pair.refresh_from_db()
    other.refresh_from_db()
    programme.refresh_from_db()
    assert signed_pair.state == Pair.State.COMPLETED and other.state == Pair.State.ENDED
    assert programme.phase == Programme.Phase.CELEBRATION
    assert programme.ends_on == timezone.localdate()
    assert set(Certificate.objects.values_list("holder_name", flat=True)) == {
        leader.person.name,
        mentor.person.name,
    }
    assert sorted(m.to[0] for m in mail.outbox if "has closed" in m.subject) == sorted(
        ["c1@upward.test", "c2@upward.test", leader.email, mentor.email]
    )
    closure = Closure.objects.get()
    assert closure.retention_on == timezone.localdate() + dt.timedelta(days=366)
    assert closure.summary["pairs_completed"] == 1 and closure.summary["pairs_ended"] == 1
    assert not RetentionRun.objects.exists()

    # A second close is refused plainly and changes nothing.
    again = client.post(
        f"/programmes/{programme.slug}/recognition/close/", {"version": programme.version}
    )
    assert again.status_code == 400 and "already closed" in again.content.decode()
    with pytest.raises(RecognitionRuleBroken, match="already closed"):
        services.programme_close(programme=programme, by=coordinator, version=programme.version)
    assert Certificate.objects.count() == 2

    # On its date, retention deletes the pairs and stories; certificates still verify.
    retention_apply(today=closure.retention_on)
    assert RetentionRun.objects.filter(programme=programme).exists()
    assert not Pair.objects.filter(programme=programme).exists()
    assert not Story.objects.exists()
    cert = Certificate.objects.get(holder_name=mentor.person.name)
    assert cert.application_id is None
    assert "This certificate is valid" in client.get(f"/verify/{cert.code}/").content.decode()


def test_a_programme_long_ended_is_purged_at_close(signed_pair: Any, coordinator: Any) -> None:
    programme = closable(signed_pair.programme)
    Programme.objects.filter(pk=programme.pk).update(
        ends_on=timezone.localdate() - dt.timedelta(days=800)
    )
    programme.refresh_from_db()
    closure = services.programme_close(
        programme=programme, by=coordinator, version=programme.version
    )
    assert closure.summary["retention_applied"] is True
    assert programme.phase == Programme.Phase.CELEBRATION
    assert RetentionRun.objects.filter(programme=programme).exists()
    assert not Pair.objects.filter(programme=programme).exists()
    assert Certificate.objects.count() == 2


def test_only_its_coordinator_closes_and_a_refused_phase_move_changes_nothing(
    signed_pair: Any, coordinator: Any, coordinator_b: Any
) -> None:
    programme = signed_pair.programme
    with pytest.raises(RecognitionRuleBroken):
        services.programme_close(programme=programme, by=coordinator_b, version=programme.version)
    # Readiness was never passed: the phase service refuses, with its reason.
    with pytest.raises(Exception, match="readiness"):
        services.programme_close(programme=programme, by=coordinator, version=programme.version)
    signed_pair.refresh_from_db()
    assert signed_pair.state == Pair.State.ACTIVE
    assert not Closure.objects.exists() and not Certificate.objects.exists()
