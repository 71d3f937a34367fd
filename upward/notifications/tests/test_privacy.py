"""A person's choices and queued emails are in their export and go with their erasure; a
programme's queued emails go with its retention."""

from __future__ import annotations

from typing import Any

import pytest

from upward.notifications import privacy, services
from upward.notifications.models import Notice, Preference
from upward.privacy.registry import DataSubject

from .samples import SAMPLES

pytestmark = pytest.mark.django_db


def _queue(user: Any, programme: Any = None) -> None:
    context, _ = SAMPLES["nudge"]
    services.notify(to=user, event="nudge", subject="Nudge", context=context, programme=programme)


def test_export_and_erasure(leader: Any, mentor: Any) -> None:
    services.preferences_set(user=leader, choices={"reminders": "digest"})
    services.preferences_set(user=mentor, choices={"reminders": "digest"})
    _queue(leader)
    _queue(mentor)
    exported = privacy.export_notifications(DataSubject.of_user(leader))
    assert exported["choices"] == {"Reminders and nudges": "digest"}
    (queued,) = exported["emails_queued_or_sent"]
    assert (
        queued["email"] == "nudge" and SAMPLES["nudge"][1] in queued["text_waiting_for_the_digest"]
    )

    assert privacy.erase_notifications(DataSubject.of_user(leader)) == {"choices": 1, "notices": 1}
    assert not Preference.objects.filter(user=leader).exists()
    assert not Notice.objects.filter(user=leader).exists()
    # The other person's are untouched.
    assert Preference.objects.filter(user=mentor).count() == 1
    assert Notice.objects.filter(user=mentor).count() == 1


def test_the_words_are_encrypted_at_rest(leader: Any) -> None:
    from django.db import connection

    services.preferences_set(user=leader, choices={"reminders": "digest"})
    _queue(leader)
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM notifications_notice")
        (stored,) = cursor.fetchone()
    assert SAMPLES["nudge"][1] not in stored and stored


def test_retention_takes_the_programmes_queued_emails(
    leader: Any, programme_a: Any, programme_b: Any
) -> None:
    services.preferences_set(user=leader, choices={"reminders": "digest"})
    _queue(leader, programme_a)
    _queue(leader, programme_b)
    assert privacy.purge_notifications(programme_a) == {"notices_deleted": 1}
    assert list(Notice.objects.values_list("programme_id", flat=True)) == [programme_b.pk]
