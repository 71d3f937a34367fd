"""The demo shows matching: the spring cohort matched and published (the demo leader and mentor
each other's confirmed partner, so preparation can start), a rematch after one decline, and the
autumn cohort ready to review; seeding again adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from upward.accounts.models import User
from upward.core.demo import seed_demo
from upward.matches import selectors
from upward.matches.models import MatchingRun, Proposal
from upward.programmes.models import Programme

from .conftest import client_for


@pytest.mark.django_db
def test_the_demo_has_a_published_run_a_rematch_a_run_to_review_and_a_confirmed_match(
    tmp_path: Path,
) -> None:
    with override_settings(DATA_DIR=tmp_path):
        seed_demo(size=1200)
        programme = Programme.objects.get(slug="reverse-mentoring-2027")
        runs = list(MatchingRun.objects.filter(programme=programme).order_by("number"))
        proposals = Proposal.objects.filter(programme=programme).count()
        seed_demo(size=1200)
    assert list(MatchingRun.objects.filter(programme=programme).order_by("number")) == runs
    assert Proposal.objects.filter(programme=programme).count() == proposals
    spring, rematch, autumn = runs
    assert spring.status == autumn.status == rematch.status == MatchingRun.Status.DONE
    assert spring.published_at is not None and autumn.published_at is None
    assert rematch.purpose == MatchingRun.Purpose.REMATCH and rematch.published_at is not None
    assert spring.cohort != autumn.cohort and autumn.pairs.exists()
    assert proposals == spring.pairs.count() + Proposal.objects.filter(run=rematch).count()

    for role in ("leader", "mentor"):
        user = User.objects.get(email__startswith=f"{role}@")
        mine = selectors.proposals_for(user)[0]
        assert mine.state == "confirmed" and not mine.can_accept and mine.partner is not None
        page = client_for(user).get(reverse("matches:proposal", args=[mine.pk]))
        html = page.content.decode()
        assert page.status_code == 200 and "Your confirmed match" in html
        assert "Step back from this match" in html and "Accept this match" not in html

    coordinator = client_for(User.objects.get(email__startswith="coordinator@"))
    review = coordinator.get(reverse("matches:run", args=[programme.slug, autumn.number]))
    html = review.content.decode()
    assert review.status_code == 200
    assert "Ready to review" in html and "Publish these pairs" in html
    published = coordinator.get(reverse("matches:run", args=[programme.slug, spring.number]))
    html = published.content.decode()
    assert "its pairs were sent as proposals" in html
    assert '<span class="badge badge--ok">Confirmed</span>' in html
