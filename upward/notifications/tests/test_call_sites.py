"""The emails of the other apps go through ``notify`` and follow the person's choice: a nudge
(reminders), a meeting invitation with its calendar file (meetings), and a rematch, which must
be sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from upward.notifications import services
from upward.notifications.models import Notice
from upward.pairs.models import Pair
from upward.preparation.tests.factory import make_pair
from upward.running.models import Meeting, Nudge
from upward.running.nudges import nudges_send

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2030, 5, 6, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def quiet_pair(programme_a: Any, leader: Any, mentor: Any, coordinator: Any) -> Pair:
    made = make_pair(programme_a, leader, mentor)
    Pair.objects.filter(pk=made.pk).update(
        state=Pair.State.ACTIVE, state_since=NOW - dt.timedelta(weeks=6)
    )
    made.refresh_from_db()
    return made


def test_nudges_follow_the_reminders_choice(quiet_pair: Pair, leader: Any, mentor: Any) -> None:
    services.preferences_set(user=leader, choices={"reminders": "none"})
    services.preferences_set(user=mentor, choices={"reminders": "digest"})
    assert nudges_send(now=NOW) == 1  # the mentor's, queued for the digest
    assert mail.outbox == []
    # Nothing sent to the leader, so no nudge is counted against their period either.
    assert list(Nudge.objects.values_list("user_id", flat=True)) == [mentor.pk]
    queued = Notice.objects.get(user=mentor)
    assert queued.event == "nudge" and "have not met yet" in queued.body
    assert services.digests_send() == 1
    (digest,) = mail.outbox
    assert digest.to == [mentor.email] and "have not met yet" in digest.body


def test_a_meeting_invitation_keeps_its_calendar_file(
    quiet_pair: Pair, leader: Any, mentor: Any
) -> None:
    from upward.running.emails import meeting_emails_send

    services.preferences_set(user=mentor, choices={"meetings": "none"})
    meeting = Meeting.objects.create(
        pair=quiet_pair,
        starts_at=NOW + dt.timedelta(days=2),
        minutes=45,
        state=Meeting.State.SCHEDULED,
    )
    assert meeting_emails_send(meeting_id=meeting.pk, kind="scheduled") == 1
    (email,) = mail.outbox  # the mentor chose no meeting emails
    assert email.to == [leader.email] and "Your mentoring meeting is arranged" in email.body
    names = [a[0] for a in email.attachments]
    assert names == ["meeting.ics"]
    assert email.alternatives[0][1] == "text/html"


def test_a_rematch_is_sent_whatever_the_choice(quiet_pair: Pair, leader: Any, mentor: Any) -> None:
    from upward.running.rematch import _tell

    services.preferences_set(user=leader, choices={"mentoring": "none"})
    _tell(quiet_pair.pk, quiet_pair.leader_id)
    (email,) = mail.outbox
    assert email.to == [leader.email] and "Not every pairing fits" in email.body
    assert "List-Unsubscribe" not in email.extra_headers
