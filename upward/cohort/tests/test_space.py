"""The cohort space: posts and replies among the programme's participants and coordinators
only; announcements are the coordinator's; a post can be reported with a reason and the
coordinator can hide it; bad input is refused plainly and changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from upward.cohort import services
from upward.cohort.errors import CohortRuleBroken
from upward.cohort.models import Post, Report
from upward.pairs.models import Pair
from upward.preparation.tests.factory import application
from upward.privacy.registry import DataSubject
from upward.privacy.services import subject_export_data
from upward.programmes.models import Application

pytestmark = pytest.mark.django_db
WORDS = "Our first meeting was awkward; the second was much better."


@pytest.fixture
def post(pair: Pair, leader: Any) -> Post:
    return services.post_create(programme=pair.programme, by=leader, body=WORDS)


def test_members_read_and_write_posts_and_replies(
    client: Any, pair: Pair, other_pair: Pair, mentor: Any, coordinator: Any, post: Post
) -> None:
    slug = pair.programme.slug
    for person in (mentor, other_pair.mentor.user, coordinator):
        client.force_login(person)
        page = client.get(reverse("cohort:space", args=[slug]))
        assert page.status_code == 200 and WORDS in page.content.decode()
        assert client.get(f"/api/v1/programmes/{slug}/cohort/posts").json()[0]["body"] == WORDS
    client.force_login(mentor)
    response = client.post(reverse("cohort:reply", args=[post.pk]), {"body": "Same for us."})
    assert response.status_code == 302
    api = client.post(
        f"/api/v1/cohort/posts/{post.pk}/replies", {"body": "And again."}, "application/json"
    )
    assert api.status_code == 201
    listed = client.get(f"/api/v1/programmes/{slug}/cohort/posts").json()
    assert [r["body"] for r in listed[0]["replies"]] == ["Same for us.", "And again."]


def test_an_accepted_applicant_without_a_pair_is_a_member(
    client: Any, programme_a: Any, outsider: Any, post: Post
) -> None:
    client.force_login(outsider)
    assert client.get(reverse("cohort:space", args=[programme_a.slug])).status_code == 404
    made = application(programme_a, outsider, "mentor")
    assert made.status == Application.Status.ACCEPTED
    assert client.get(reverse("cohort:space", args=[programme_a.slug])).status_code == 200


def test_posts_are_visible_only_to_the_cohort(
    client: Any,
    pair: Pair,
    org_admin: Any,
    sponsor: Any,
    wellbeing_lead: Any,
    coordinator_b: Any,
    outsider: Any,
    post: Post,
) -> None:
    slug = pair.programme.slug
    for person in (org_admin, sponsor, wellbeing_lead, coordinator_b, outsider):
        client.force_login(person)
        assert client.get(reverse("cohort:space", args=[slug])).status_code == 404
        assert client.get(f"/api/v1/programmes/{slug}/cohort/posts").status_code == 404
        assert (
            client.post(reverse("cohort:reply", args=[post.pk]), {"body": "Hi"}).status_code == 404
        )
        assert (
            client.post(
                f"/api/v1/cohort/posts/{post.pk}/report", {"reason": "x"}, "application/json"
            ).status_code
            == 404
        )
        assert WORDS not in client.get(reverse("cohort:spaces")).content.decode()
        assert WORDS not in json.dumps(
            subject_export_data(DataSubject.of_user(person)), default=str
        )
    assert Post.objects.count() == 1 and not Report.objects.exists()


def test_posts_are_encrypted_at_rest_and_in_the_authors_export(post: Post, leader: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM cohort_post WHERE id = %s", [post.pk])
        assert "awkward" not in cursor.fetchone()[0]
    exported = subject_export_data(DataSubject.of_user(leader))["sections"]["cohort"]["posts"]
    assert [p["text"] for p in exported] == [WORDS]


def test_announcements_are_the_coordinators_and_pinned_first(
    client: Any, pair: Pair, leader: Any, coordinator: Any, post: Post
) -> None:
    slug = pair.programme.slug
    client.force_login(leader)
    refused = client.post(
        f"/api/v1/programmes/{slug}/cohort/posts",
        {"body": "Listen to me", "announcement": True},
        "application/json",
    )
    assert refused.status_code == 400 and "coordinators" in refused.json()["detail"]
    client.force_login(coordinator)
    made = client.post(
        reverse("cohort:post_add", args=[slug]), {"body": "Book the check-in", "announcement": "on"}
    )
    assert made.status_code == 302
    client.force_login(leader)
    listed = client.get(f"/api/v1/programmes/{slug}/cohort/posts").json()
    assert [(p["body"], p["announcement"], p["pinned"]) for p in listed] == [
        ("Book the check-in", True, True),
        (WORDS, False, False),
    ]
    assert "Announcement" in client.get(reverse("cohort:space", args=[slug])).content.decode()


def test_report_then_hide(
    client: Any, pair: Pair, leader: Any, mentor: Any, coordinator: Any, post: Post
) -> None:
    slug = pair.programme.slug
    client.force_login(mentor)
    reported = client.post(
        reverse("cohort:report", args=[post.pk]), {"reason": "It names someone in my team."}
    )
    assert reported.status_code == 302
    again = client.post(
        f"/api/v1/cohort/posts/{post.pk}/report", {"reason": "Again"}, "application/json"
    )
    assert again.status_code == 400 and "already reported" in again.json()["detail"]
    # The author is not told who reported, nor why; the coordinator sees the reason.
    client.force_login(leader)
    page = client.get(reverse("cohort:space", args=[slug])).content.decode()
    assert "names someone" not in page
    own = client.post(f"/api/v1/cohort/posts/{post.pk}/report", {"reason": "x"}, "application/json")
    assert own.status_code == 400 and "your own" in own.json()["detail"]
    # Only the coordinator hides.
    hide = client.post(f"/api/v1/cohort/posts/{post.pk}/hide", {"version": 1}, "application/json")
    assert hide.status_code == 404
    client.force_login(coordinator)
    page = client.get(reverse("cohort:space", args=[slug])).content.decode()
    assert "names someone in my team" in page and "reported 1 time" in page
    stale = client.post(f"/api/v1/cohort/posts/{post.pk}/hide", {"version": 7}, "application/json")
    assert stale.status_code == 409
    hidden = client.post(reverse("cohort:hide", args=[post.pk]), {"version": "1"})
    assert hidden.status_code == 302
    post.refresh_from_db()
    assert post.hidden_at is not None and post.hidden_by == coordinator and post.body == WORDS
    # Participants no longer see it, nor reply to it; the coordinator sees it marked.
    for person in (leader, mentor):
        client.force_login(person)
        assert WORDS not in client.get(reverse("cohort:space", args=[slug])).content.decode()
        assert client.get(f"/api/v1/programmes/{slug}/cohort/posts").json() == []
        assert (
            client.post(reverse("cohort:reply", args=[post.pk]), {"body": "?"}).status_code == 404
        )
    client.force_login(coordinator)
    page = client.get(reverse("cohort:space", args=[slug])).content.decode()
    assert WORDS in page and "Hidden from participants" in page


@pytest.mark.parametrize(
    ("body", "words"), [("", "empty"), ("  \n ", "empty"), ("x" * 5001, "at most 5,000")]
)
def test_bad_posts_are_refused_plainly(
    client: Any, pair: Pair, leader: Any, post: Post, body: str, words: str
) -> None:
    client.force_login(leader)
    slug = pair.programme.slug
    api = client.post(f"/api/v1/programmes/{slug}/cohort/posts", {"body": body}, "application/json")
    assert api.status_code == 400 and words in api.json()["detail"]
    page = client.post(reverse("cohort:post_add", args=[slug]), {"body": body})
    assert page.status_code == 400 and words in page.content.decode()
    reply = client.post(
        f"/api/v1/cohort/posts/{post.pk}/replies", {"body": body}, "application/json"
    )
    assert reply.status_code == 400
    assert Post.objects.count() == 1


def test_a_reply_to_a_reply_and_an_empty_reason_are_refused(
    pair: Pair, leader: Any, mentor: Any, post: Post
) -> None:
    reply = services.reply_create(post=post, by=mentor, body="Agreed")
    with pytest.raises(CohortRuleBroken, match="not to a reply"):
        services.reply_create(post=reply, by=leader, body="Thanks")
    with pytest.raises(CohortRuleBroken, match="empty"):
        services.post_report(post=post, by=mentor, reason=" ")
    assert Post.objects.count() == 2 and not Report.objects.exists()


def test_erasure_keeps_the_thread_but_drops_the_authors_words(
    pair: Pair, leader: Any, mentor: Any, org_admin: Any, post: Post
) -> None:
    from upward.privacy.services import person_erase

    services.reply_create(post=post, by=mentor, body="Thanks for sharing")
    person_erase(person=leader.person, by=org_admin, reason="Erasure request")
    kept = Post.objects.get(pk=post.pk)
    assert kept.author is None and kept.body == "" and kept.removed
    assert Post.objects.get(parent=post).body == "Thanks for sharing"
