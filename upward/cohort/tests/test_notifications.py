"""Notification emails follow each person's choice, with a frozen clock: an email for each new
post or message, one daily digest, or none. No email holds what was written."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from freezegun import freeze_time

from upward.cohort import notify, services
from upward.notifications.models import Notice
from upward.pairs.models import Pair

pytestmark = pytest.mark.django_db
POST = "My team thinks the reorganisation is unfair."
MESSAGE = "Can we talk about my manager before Friday?"


def _choose(user: Any, *, posts: str, messages: str) -> None:
    services.preference_set(user=user, posts=posts, messages=messages)


def _to(user: Any) -> list[Any]:
    return [m for m in mail.outbox if m.to == [user.email]]


def test_each_sends_one_email_per_post_and_message_at_once(
    pair: Pair, leader: Any, mentor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _choose(mentor, posts="each", messages="each")
    # The emails wanted at once go when the change commits (here: as the block ends).
    with django_capture_on_commit_callbacks(execute=True), freeze_time("2027-03-01 09:00:00"):
        services.post_create(programme=pair.programme, by=leader, body=POST)
        services.message_send(pair=pair, by=leader, body=MESSAGE)
    emails = _to(mentor)
    assert [m.subject for m in emails] == [
        "New in your cohort space",
        "A new message from your partner",
    ]
    assert f"/programmes/{pair.programme.slug}/cohort/" in emails[0].body
    assert "You have a new message from your partner" in emails[1].body
    for email in emails:
        assert POST not in email.body and MESSAGE not in email.body
    # Sent, so the digest has nothing more for them.
    with freeze_time("2027-03-02 06:00:00"):
        notify.digests_send()
    assert len(_to(mentor)) == 2


def test_digest_gathers_the_day_into_one_email(
    pair: Pair, leader: Any, mentor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _choose(mentor, posts="digest", messages="digest")
    # The emails wanted at once go when the change commits (here: as the block ends).
    with django_capture_on_commit_callbacks(execute=True), freeze_time("2027-03-01 09:00:00"):
        services.post_create(programme=pair.programme, by=leader, body=POST)
        services.post_create(programme=pair.programme, by=leader, body="A second thought")
        services.message_send(pair=pair, by=leader, body=MESSAGE)
    assert _to(mentor) == []  # nothing until the digest
    with freeze_time("2027-03-01 08:00:00"):
        assert notify.digests_send() == 0  # before they were written: nothing to send
    with freeze_time("2027-03-02 06:00:00"):
        notify.digests_send()
    (digest,) = _to(mentor)
    assert digest.subject == "Your daily digest of cohort news"
    assert "There are 2 new posts in the cohort space of" in digest.body
    assert "You have a new message from your partner" in digest.body
    assert POST not in digest.body and MESSAGE not in digest.body
    assert Notice.objects.filter(user=mentor, sent_at__isnull=True).count() == 0
    # The next day's digest is empty for them: nothing is sent twice.
    with freeze_time("2027-03-03 06:00:00"):
        notify.digests_send()
    assert len(_to(mentor)) == 1


def test_none_sends_nothing(
    pair: Pair, leader: Any, mentor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _choose(mentor, posts="none", messages="none")
    # The emails wanted at once go when the change commits (here: as the block ends).
    with django_capture_on_commit_callbacks(execute=True), freeze_time("2027-03-01 09:00:00"):
        services.post_create(programme=pair.programme, by=leader, body=POST)
        services.message_send(pair=pair, by=leader, body=MESSAGE)
    with freeze_time("2027-03-02 06:00:00"):
        notify.digests_send()
    assert _to(mentor) == []
    assert not Notice.objects.filter(user=mentor).exists()


def test_the_defaults_are_a_digest_for_posts_and_each_message(
    pair: Pair, leader: Any, mentor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(programme=pair.programme, by=leader, body=POST)
        services.message_send(pair=pair, by=leader, body=MESSAGE)
    assert [m.subject for m in _to(mentor)] == ["A new message from your partner"]
    assert Notice.objects.get(user=mentor, event="cohort_post").digest is True
    # The author is never told of their own post or message.
    assert not Notice.objects.filter(user=leader).exists()


def test_a_reply_tells_the_posts_author(
    pair: Pair, leader: Any, mentor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _choose(leader, posts="each", messages="none")
    post = services.post_create(programme=pair.programme, by=leader, body=POST)
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(post=post, by=mentor, body="Sorry to hear it.")
    (email,) = _to(leader)
    assert "Someone replied to your post" in email.body and "Sorry" not in email.body


def test_the_preferences_page_and_api(client: Any, leader: Any) -> None:
    client.force_login(leader)
    assert client.get("/api/v1/cohort/preferences").json() == {
        "posts": "digest",
        "messages": "each",
    }
    page = client.post(reverse("cohort:preferences"), {"posts": "none", "messages": "digest"})
    assert page.status_code == 302
    assert client.get("/api/v1/cohort/preferences").json() == {
        "posts": "none",
        "messages": "digest",
    }
    changed = client.put(
        "/api/v1/cohort/preferences", {"posts": "each", "messages": "none"}, "application/json"
    )
    assert changed.json() == {"posts": "each", "messages": "none"}
    bad = client.post(reverse("cohort:preferences"), {"posts": "hourly", "messages": "each"})
    assert bad.status_code == 400 and "daily digest" in bad.content.decode()
    bad_api = client.put(
        "/api/v1/cohort/preferences", {"posts": "hourly", "messages": "each"}, "application/json"
    )
    assert bad_api.status_code == 422
    assert client.get("/api/v1/cohort/preferences").json() == {"posts": "each", "messages": "none"}


def test_the_daily_command_sends_the_digests(
    pair: Pair, leader: Any, mentor: Any, coordinator: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command

    services.post_create(programme=pair.programme, by=leader, body=POST)
    out = StringIO()
    call_command("cohort_digests", stdout=out)
    # The mentor and the coordinator, members of the space; never the author.
    assert "Digests sent: 2." in out.getvalue()
    assert len(_to(mentor)) == 1 and len(_to(coordinator)) == 1 and _to(leader) == []


def test_the_old_task_names_still_run_and_hand_the_work_over(db: None) -> None:
    """Tasks queued before the emails moved to the notifications app still run."""
    from upward.cohort.tasks import send_cohort_digests, send_cohort_notices

    assert send_cohort_notices.call([]) == 0
    assert send_cohort_digests.call() == 0
