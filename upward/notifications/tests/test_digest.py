"""The daily digest: one email per person of everything queued for it, sent once however often
the task runs; the cohort's counted lines and other emails' words side by side."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from freezegun import freeze_time

from upward.notifications import services
from upward.notifications.models import Notice
from upward.notifications.tasks import send_digests
from upward.preparation.tests.factory import make_pair

from .samples import SAMPLES

pytestmark = pytest.mark.django_db
SITE = "https://upward.example"


@pytest.fixture(autouse=True)
def _urls_loaded() -> None:
    """The URLs (and the API's schemas) load before any clock is frozen: pydantic cannot build
    a schema while ``datetime`` is freezegun's."""
    reverse("notifications:settings")


def _queue(user: Any, event: str) -> None:
    context, _ = SAMPLES[event]
    assert services.notify(to=user, event=event, subject=f"About {event}", context=context) == (
        "queued"
    )


@override_settings(UPWARD_SITE_URL=SITE)
def test_one_digest_a_day_sent_once(leader: Any, mentor: Any, programme_a: Any) -> None:
    services.preferences_set(
        user=leader, choices={"reminders": "digest", "matching": "digest", "cohort_posts": "digest"}
    )
    pair = make_pair(programme_a, leader, mentor)
    with freeze_time("2027-03-01 09:00:00"):
        _queue(leader, "nudge")
        _queue(leader, "proposal")
        services.notices_create(event="cohort_post", user_ids=[leader.pk], programme=pair.programme)
        services.notices_create(event="cohort_post", user_ids=[leader.pk], programme=pair.programme)
    assert mail.outbox == []
    with freeze_time("2027-03-02 06:00:00"):
        assert send_digests.call() == 1  # the task the scheduler runs
        assert services.digests_send() == 0  # running it again sends nothing more
    (digest,) = mail.outbox
    assert digest.to == [leader.email] and digest.subject == "Your daily digest from Upward"
    assert "There are 2 new posts in the cohort space of" in digest.body
    assert "About nudge" in digest.body and SAMPLES["nudge"][1] in digest.body
    assert "About proposal" in digest.body and SAMPLES["proposal"][1] in digest.body
    html, _ = digest.alternatives[0]
    assert "There are 2 new posts in the cohort space of" in html
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Stop the daily digest" in digest.body
    # Sent, and the words are not kept once delivered.
    assert set(Notice.objects.values_list("body", flat=True)) == {""}
    assert not Notice.objects.filter(sent_at__isnull=True).exists()


def test_a_digest_waits_for_its_day_and_each_person_gets_their_own(
    leader: Any, mentor: Any
) -> None:
    for user in (leader, mentor):
        services.preferences_set(user=user, choices={"reminders": "digest"})
    with freeze_time("2027-03-01 09:00:00"):
        _queue(leader, "nudge")
        _queue(mentor, "nudge")
        _queue(mentor, "training_reminder")
    with freeze_time("2027-03-01 08:00:00"):
        assert services.digests_send() == 0  # nothing written before now
    with freeze_time("2027-03-02 06:00:00"):
        assert services.digests_send() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([leader.email, mentor.email])
    to_mentor = next(m for m in mail.outbox if m.to == [mentor.email])
    assert "About training_reminder" in to_mentor.body and "About nudge" in to_mentor.body


def test_a_notice_another_run_took_is_not_sent_twice(leader: Any) -> None:
    services.preferences_set(user=leader, choices={"reminders": "digest"})
    _queue(leader, "nudge")
    _queue(leader, "training_reminder")
    # Another run has claimed one of them meanwhile: this run leaves the whole digest to it.
    first = Notice.objects.order_by("pk").first()
    assert first is not None
    original = Notice.objects.filter

    def claimed_meanwhile(*args: Any, **kwargs: Any) -> Any:
        if "pk__in" in kwargs and kwargs.get("sent_at__isnull"):
            Notice.objects.filter(pk=first.pk).update(sent_at=first.created_at)
        return original(*args, **kwargs)

    Notice.objects.filter = claimed_meanwhile  # type: ignore[method-assign]
    try:
        assert services.digests_send() == 0
    finally:
        Notice.objects.filter = original  # type: ignore[method-assign]
    # Nothing sent and nothing marked by this run (here the simulated other run's mark is in the
    # same test transaction, so it is rolled back with ours); the next run sends the digest once.
    assert mail.outbox == []
    assert services.digests_send() == 1 and len(mail.outbox) == 1


def test_the_daily_command(leader: Any) -> None:
    services.preferences_set(user=leader, choices={"reminders": "digest"})
    _queue(leader, "nudge")
    out = StringIO()
    call_command("notification_digests", stdout=out)
    assert out.getvalue() == "Digests sent: 1.\n"
    call_command("notification_digests", stdout=out)
    assert out.getvalue().endswith("Digests sent: 0.\n") and len(mail.outbox) == 1
