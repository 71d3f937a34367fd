"""An anonymous idea never reveals its author, through any route: pages, the API, the author's
own privacy export, the Django admin (changelist and change page, even for a superuser), the
sponsor's page and the commitment it became. The idea holds no link to the author at all."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from personas import make_user
from upward.accountability import services
from upward.accountability.models import Idea, IdeaSession
from upward.privacy.registry import DataSubject
from upward.privacy.services import subject_export_data as export_person

from .conftest import client_of

pytestmark = pytest.mark.django_db

SECRET = "Stop the all-hands at 8am: parents cannot make it"


@pytest.fixture
def hidden(session: IdeaSession, mentor: Any, leader: Any) -> Idea:
    services.idea_submit(session=session, by=leader, text="Publish the pay bands", anonymous=False)
    return services.idea_submit(session=session, by=mentor, text=SECRET, anonymous=True)


def _names(user: Any) -> list[str]:
    """Every way the author could be named on a page."""
    person = user.person
    return [person.name, user.email, person.email, f"/{user.pk}/"]


def test_the_idea_holds_no_link_to_its_author(hidden: Idea) -> None:
    row = Idea.objects.filter(pk=hidden.pk).values().get()
    assert row["author_id"] is None and row["anonymous"] is True
    # Only the day it was submitted, not a moment to match against sign-ins.
    assert isinstance(row["submitted_on"], dt.date) and not isinstance(
        row["submitted_on"], dt.datetime
    )


def test_no_page_shows_the_author(
    hidden: Idea, mentor: Any, leader: Any, coordinator: Any, sponsor: Any, other_pair: Any
) -> None:
    commitment = services.idea_adopt(
        idea=hidden,
        by=coordinator,
        owner=leader,
        change="Move the all-hands to 11am",
        measure="Attendance",
        baseline="60%",
        target="85%",
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    urls = [
        reverse("accountability:session", args=[hidden.session_id]),
        reverse("accountability:commitment", args=[commitment.pk]),
        reverse("accountability:adopt", args=[hidden.pk]),
    ]
    for viewer in (mentor, leader, coordinator, other_pair.leader.user):
        client = client_of(viewer)
        page = client.get(urls[0]).content.decode()
        assert SECRET.replace("'", "&#x27;") in page and "Anonymous" in page
        for name in _names(mentor):
            assert name not in page, (viewer, name)
        # The author is told nothing either: it is not marked as theirs.
        assert "Yours" not in page.split(SECRET)[1].split("</li>")[0]
    for url in urls[1:]:
        page = client_of(coordinator).get(url).content.decode()
        assert all(name not in page for name in _names(mentor))
    sponsor_page = (
        client_of(sponsor)
        .get(reverse("accountability:programme", args=[commitment.programme.slug]))
        .content.decode()
    )
    assert all(name not in sponsor_page for name in _names(mentor))


def test_no_api_answer_shows_the_author(
    hidden: Idea, mentor: Any, coordinator: Any, sponsor: Any, leader: Any
) -> None:
    commitment = services.idea_adopt(
        idea=hidden,
        by=coordinator,
        owner=leader,
        change="Move it",
        measure="Attendance",
        baseline="60%",
        target="85%",
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    answers = [
        client_of(mentor).get(f"/api/v1/idea-sessions/{hidden.session_id}"),
        client_of(coordinator).get(f"/api/v1/idea-sessions/{hidden.session_id}"),
        client_of(coordinator).get(f"/api/v1/idea-sessions/{hidden.session_id}/groups"),
        client_of(sponsor).get(f"/api/v1/programmes/{commitment.programme.slug}/commitments"),
        client_of(leader).get("/api/v1/commitments"),
        client_of(sponsor).get(f"/api/v1/commitments/{commitment.pk}"),
    ]
    for answer in answers:
        assert answer.status_code == 200
        text = answer.content.decode()
        assert all(name not in text for name in _names(mentor))
    ideas = answers[0].json()["ideas"]
    shown = next(i for i in ideas if i["id"] == hidden.pk)
    assert shown["author"] is None and shown["mine"] is False and shown["anonymous"] is True
    named = next(i for i in ideas if i["id"] != hidden.pk)
    assert named["author"] == leader.person.name


def test_the_authors_own_export_holds_no_anonymous_idea(
    hidden: Idea, mentor: Any, leader: Any
) -> None:
    export = json.dumps(export_person(DataSubject.of_user(mentor)), default=str)
    assert SECRET not in export
    leaders = json.dumps(export_person(DataSubject.of_user(leader)), default=str)
    assert "Publish the pay bands" in leaders and SECRET not in leaders


def test_the_admin_shows_no_author_even_to_a_superuser(hidden: Idea, mentor: Any) -> None:
    admin = make_user("root@upward.test", totp=True)
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client = client_of(admin)
    listing = client.get(reverse("admin:accountability_idea_changelist"))
    change = client.get(reverse("admin:accountability_idea_change", args=[hidden.pk]))
    named = Idea.objects.exclude(pk=hidden.pk).get()
    named_change = client.get(reverse("admin:accountability_idea_change", args=[named.pk]))
    for answer in (listing, change, named_change):
        assert answer.status_code == 200
        page = answer.content.decode()
        assert all(name not in page for name in _names(mentor))
        assert 'name="author"' not in page
    # Nobody can attach an author through the change form either.
    client.post(
        reverse("admin:accountability_idea_change", args=[hidden.pk]),
        {"session": hidden.session_id, "text": SECRET, "author": mentor.pk, "adopted": ""},
    )
    assert Idea.objects.get(pk=hidden.pk).author_id is None


def test_an_anonymous_idea_can_never_be_given_an_author(hidden: Idea, mentor: Any) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Idea.objects.filter(pk=hidden.pk).update(author=mentor)


def test_the_log_line_names_nobody(session: IdeaSession, mentor: Any, caplog: Any) -> None:
    with caplog.at_level("INFO", logger="upward.accountability.services"):
        idea = services.idea_submit(session=session, by=mentor, text=SECRET, anonymous=True)
    assert [r.getMessage() for r in caplog.records] == [
        f"Idea {idea.pk} submitted to session {session.pk}"
    ]
