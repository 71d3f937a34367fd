"""Completion rules, evaluated per person, and grants logged in the audit history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from upward.core.versioning import VersionConflict
from upward.recognition import selectors, services
from upward.recognition.errors import RecognitionRuleBroken
from upward.recognition.models import Certificate, CompletionGrant
from upward.running.models import CheckIn, Meeting

from .conftest import sign


def _rows(programme: Any) -> dict[str, selectors.PersonStatus]:
    return {r.side: r for r in selectors.completion_status(programme)}


def test_the_default_rules_want_the_signature_of_each_person(pair: Any) -> None:
    sign(pair, "leader")
    rows = _rows(pair.programme)
    assert rows["leader"].completes and rows["leader"].unmet == []
    assert not rows["mentor"].completes
    assert rows["mentor"].unmet == ["Has not signed the mentoring agreement."]
    assert rows["mentor"].role_label == "Mentor" and rows["leader"].role_label == "Leader"


def test_meetings_and_final_checkin_rules_say_what_is_missing(
    signed_pair: Any, coordinator: Any, leader: Any, mentor: Any
) -> None:
    programme = signed_pair.programme
    services.rules_set(
        programme=programme,
        by=coordinator,
        version=1,
        agreement_signed=True,
        training_done=True,
        min_meetings=2,
        final_checkin=True,
    )
    Meeting.objects.create(
        pair=signed_pair, state=Meeting.State.HELD, starts_at=timezone.now(), held_minutes=60
    )
    today = timezone.localdate()
    CheckIn.objects.create(
        pair=signed_pair, user=leader, kind="relationship", due_on=today, answered_at=timezone.now()
    )
    CheckIn.objects.create(
        pair=signed_pair,
        user=mentor,
        kind="relationship",
        due_on=today - dt.timedelta(days=30),
        answered_at=timezone.now(),
    )
    CheckIn.objects.create(pair=signed_pair, user=mentor, kind="relationship", due_on=today)
    rows = _rows(programme)
    assert rows["leader"].unmet == ["1 of 2 meetings held."]
    assert rows["mentor"].unmet == [
        "1 of 2 meetings held.",
        "The final check-in is not answered.",
    ]
    Meeting.objects.create(
        pair=signed_pair, state=Meeting.State.HELD, starts_at=timezone.now(), held_minutes=60
    )
    rows = _rows(programme)
    assert rows["leader"].completes and not rows["mentor"].completes


def test_rules_edits_carry_a_version(pair: Any, coordinator: Any) -> None:
    args = dict(agreement_signed=False, training_done=True, min_meetings=3, final_checkin=False)
    services.rules_set(programme=pair.programme, by=coordinator, version=1, **args)
    with pytest.raises(VersionConflict):
        services.rules_set(programme=pair.programme, by=coordinator, version=1, **args)
    with pytest.raises(RecognitionRuleBroken, match="0 to 52"):
        services.rules_set(
            programme=pair.programme, by=coordinator, version=2, **{**args, "min_meetings": 99}
        )
    assert selectors.rules_of(pair.programme).min_meetings == 3


def test_only_a_coordinator_sets_rules_or_grants(
    pair: Any, leader: Any, coordinator_b: Any
) -> None:
    for who in (leader, coordinator_b):
        with pytest.raises(RecognitionRuleBroken):
            services.rules_set(
                programme=pair.programme,
                by=who,
                version=1,
                agreement_signed=False,
                training_done=False,
                min_meetings=0,
                final_checkin=False,
            )
        with pytest.raises(RecognitionRuleBroken):
            services.completion_grant(
                programme=pair.programme, application=pair.mentor, by=who, reason="Because"
            )


def test_no_certificate_without_completion_then_one_on_a_logged_grant(
    pair: Any, coordinator: Any
) -> None:
    programme = pair.programme
    with pytest.raises(RecognitionRuleBroken, match="has not completed the programme"):
        services.certificate_issue(programme=programme, application=pair.mentor, by=coordinator)
    assert not Certificate.objects.exists()
    with pytest.raises(RecognitionRuleBroken, match="reason"):
        services.completion_grant(
            programme=programme, application=pair.mentor, by=coordinator, reason="  "
        )
    grant = services.completion_grant(
        programme=programme,
        application=pair.mentor,
        by=coordinator,
        reason="Signed on paper; the scan is on file.",
    )
    logged = grant.history.get()
    assert logged.history_user_id == coordinator.pk and logged.history_type == "+"
    certificate = services.certificate_issue(
        programme=programme, application=pair.mentor, by=coordinator
    )
    assert certificate.granted and certificate.holder_name == pair.mentor.person.name
    with pytest.raises(RecognitionRuleBroken, match="already has a certificate"):
        services.certificate_issue(programme=programme, application=pair.mentor, by=coordinator)
    with pytest.raises(RecognitionRuleBroken, match="already granted"):
        services.completion_grant(
            programme=programme, application=pair.mentor, by=coordinator, reason="Again"
        )
    assert CompletionGrant.objects.count() == 1


def test_a_grant_is_refused_when_the_rules_are_met(signed_pair: Any, coordinator: Any) -> None:
    with pytest.raises(RecognitionRuleBroken, match="already meets every rule"):
        services.completion_grant(
            programme=signed_pair.programme,
            application=signed_pair.leader,
            by=coordinator,
            reason="No need",
        )


def test_certificate_issued_when_rules_met_with_an_unguessable_code(
    signed_pair: Any, coordinator: Any
) -> None:
    cert = services.certificate_issue(
        programme=signed_pair.programme, application=signed_pair.leader, by=coordinator
    )
    assert not cert.granted and cert.role == "leader"
    assert len(cert.code) == 16 and selectors.CODE_CHARS.match(cert.code)
    assert cert.grouped_code.count("-") == 3
    assert cert.code_hash == selectors.code_hash(cert.code) and cert.code not in cert.code_hash
    codes = {services.new_code() for _ in range(200)}
    assert len(codes) == 200


def test_reciprocal_pairs_are_both(signed_pair: Any, coordinator: Any) -> None:
    type(signed_pair).objects.filter(pk=signed_pair.pk).update(reciprocal=True)
    rows = _rows(signed_pair.programme)
    assert {r.role_label for r in rows.values()} == {"Mentor and leader"}
