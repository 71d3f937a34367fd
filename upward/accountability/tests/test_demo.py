"""The demo: in the past-matching programme, a closed idea session with anonymous and named
ideas and votes, commitments on track, overdue and done, and one agreed nomination; seeding
again changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from upward.accountability import selectors
from upward.accountability.models import Commitment, Idea, IdeaSession, IdeaVote, Nomination
from upward.accounts.models import User
from upward.core.demo import seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_idea_session_commitments_and_nomination(tmp_path: Path) -> None:
    with override_settings(DATA_DIR=tmp_path):
        seed_demo(size=1200)
        seed_demo(size=1200)
    session = IdeaSession.objects.get()
    assert session.programme.name == "Reverse Mentoring 2027" and not session.is_open()
    assert Idea.objects.filter(anonymous=True, author__isnull=True).count() == 3
    assert Idea.objects.filter(anonymous=False, author__isnull=False).count() == 3
    assert IdeaVote.objects.exists()
    standings = sorted(selectors.standing(c) for c in Commitment.objects.all())
    assert standings == ["Done on time", "On track", "Overdue"]
    assert Nomination.objects.get().state == "agreed"
    sponsor = User.objects.get(email__startswith="sponsor@")
    client = Client()
    client.force_login(sponsor)
    page = client.get(reverse("accountability:programme", args=[session.programme.slug]))
    assert page.status_code == 200 and "Overdue" in page.content.decode()
    # The cohort's events held and their attendance, in counts.
    assert "Cohort events held" in page.content.decode()
    leader = User.objects.get(email__startswith="leader@")
    client.force_login(leader)
    assert "Agreed" in client.get(reverse("accountability:nominations")).content.decode()
