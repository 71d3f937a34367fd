"""The demo tells one consistent story: each programme's phase agrees with its dates,
applications, runs and proposals, and the demo leader and mentor see each other's confirmed
match from both sides."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from upward.accounts.models import User
from upward.core.demo import seed_demo
from upward.matches import selectors as match_selectors
from upward.matches.models import MatchingRun, Proposal
from upward.programmes import selectors as programme_selectors
from upward.programmes.demo import SOURCING_SLUG
from upward.programmes.models import Application, PhaseWindow, Programme, Question

from ..demo import DemoContext


@pytest.fixture
def demo(db: Any, tmp_path: Path) -> Any:
    with override_settings(DATA_DIR=tmp_path):
        seed_demo(size=1200)
        yield


def _window(programme: Programme) -> PhaseWindow:
    return PhaseWindow.objects.get(programme=programme, phase=programme.phase)


def test_each_programme_s_phase_agrees_with_its_dates_applications_runs_and_proposals(
    demo: Any,
) -> None:
    programme = Programme.objects.get(slug="reverse-mentoring-2027")
    now, today = timezone.now(), timezone.localdate()
    assert programme.phase == Programme.Phase.MATCHING
    window = _window(programme)
    assert window.starts_on <= today <= window.ends_on
    # Applications ran and closed before matching; every application was decided.
    assert not programme.applications_open
    assert programme.applications_opened_at < programme.applications_closed_at < now
    assert programme.applications_deadline <= programme.applications_closed_at
    assert not programme.applications.filter(status=Application.Status.SUBMITTED).exists()
    last_submitted = max(programme.applications.values_list("submitted_at", flat=True))
    assert last_submitted < programme.applications_closed_at
    # Runs: spring published, then a rematch after the decline; autumn ready to review.
    runs = list(MatchingRun.objects.filter(programme=programme).order_by("number"))
    assert [(r.purpose, r.published_at is not None) for r in runs] == [
        ("first", True),
        ("rematch", True),
        ("first", False),
    ]
    spring, rematch, autumn = runs
    assert rematch.cohort_id == spring.cohort_id != autumn.cohort_id
    assert spring.published_at < rematch.published_at < now
    assert all(c.starts_on > today for c in programme.cohorts.all())
    proposals = Proposal.objects.filter(programme=programme)
    states = {s: proposals.filter(status=s).count() for s in Proposal.Status.values}
    assert states["declined"] == 1
    assert states["confirmed"] > 2 * states["pending"] > 0
    assert not proposals.filter(run=autumn).exists()
    declined = proposals.get(status="declined")
    rematched = proposals.filter(run=rematch)
    assert {declined.leader_id, declined.mentor_id} & {
        a for p in rematched for a in (p.leader_id, p.mentor_id)
    }
    for proposal in proposals.exclude(status="declined"):
        assert proposal.published_at >= proposal.run.published_at
        assert proposal.leader.status == proposal.mentor.status == "accepted"
    confirmed = proposals.filter(status="confirmed")
    assert all(p.closed_at > p.published_at for p in confirmed)

    programme = Programme.objects.get(slug=SOURCING_SLUG)
    assert programme.phase == Programme.Phase.SOURCING
    window = _window(programme)
    assert window.starts_on <= today <= window.ends_on
    assert programme.applications_open and programme.applications_deadline > timezone.now()
    assert programme.applications.count() >= 20
    assert programme.applications.filter(status="submitted").exists()
    assert not MatchingRun.objects.filter(programme=programme).exists()
    assert not Proposal.objects.filter(programme=programme).exists()
    assert programme.organisations.count() == 2


def test_the_demo_leader_and_mentor_see_their_match_and_write_like_people(demo: Any) -> None:
    from upward.matches.tests.conftest import client_for

    leader = User.objects.get(email__startswith="leader@")
    mentor = User.objects.get(email__startswith="mentor@")
    [theirs] = match_selectors.proposals_for(leader)
    [mine] = [p for p in match_selectors.proposals_for(mentor) if p.pk == theirs.pk]
    assert mine.state == theirs.state == "confirmed"
    assert theirs.partner.name == mentor.display_name
    # Their introduction names what they both wrote about, not filler.
    themes = [line for line in theirs.introduction if "themes in common" in line]
    assert themes == ["What you each wrote has themes in common (promotion process, sponsor)."]
    assert mine.partner.name == leader.display_name
    for user, partner in ((leader, mentor), (mentor, leader)):
        page = client_for(user).get(reverse("matches:proposal", args=[mine.pk])).content.decode()
        assert f"Your confirmed match: {partner.display_name}" in page
        # Something to do from the first page: the other programme invites them to apply.
        [view] = [
            v
            for v in programme_selectors.participant_programmes(user)
            if v.programme.slug == SOURCING_SLUG
        ]
        assert view.can_apply and view.invitation is not None and view.application is None

    programme = Programme.objects.get(slug="reverse-mentoring-2027")
    texts = {
        q.pk: q
        for q in Question.objects.filter(form__programme=programme)
        if q.kind == Question.Kind.LONG_TEXT
    }
    mine = Application.objects.get(programme=programme, user=leader)
    own = [v for k, v in mine.answers.items() if int(k) in texts and v]
    assert len(own) >= 2 and len(set(own)) == len(own)
    main = [
        a.answers.get(str(q))
        for a in programme.applications.all()
        for q in texts
        if texts[q].use == Question.Use.TEXT and texts[q].required and a.answers.get(str(q))
    ]
    assert len(main) > 100 and len(set(main)) > 0.8 * len(main)


def test_the_context_keeps_the_programme_past_matching_for_later_stages() -> None:
    assert "sourcing" in DemoContext.__dataclass_fields__


def test_my_programmes_and_the_home_page_say_the_match_is_confirmed(demo: Any) -> None:
    from upward.matches.tests.conftest import client_for

    leader = User.objects.get(email__startswith="leader@")
    client = client_for(leader)
    mine = client.get(reverse("programmes:mine")).content.decode()
    assert '<span class="badge badge--ok">Match confirmed</span>' in mine
    assert "is confirmed: you have both accepted." in mine
    assert "Matching: Applications have closed and matching is under way" in mine
    assert "Sourcing: Applications are open." in mine
    home = client.get("/").content.decode()
    assert '<span class="badge badge--ok">Match confirmed</span>' in home
    assert "You are invited" in home
