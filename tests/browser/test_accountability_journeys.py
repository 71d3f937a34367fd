"""Accountability: a cohort runs an idea session (two people submit, one anonymously, and vote);
the coordinator adopts the anonymous idea into a leader's commitment; the leader updates it; the
sponsor sees its follow-through and never who proposed it. Every page is checked with axe, must
log no console error, and the participants' pages fit a 390 px phone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from personas import PASSWORD
from upward.accountability import services
from upward.accountability.models import Commitment, Idea, IdeaVote
from upward.pairs.models import Pair
from upward.preparation.tests.factory import colleague, make_pair

IDEA = "Move the all-hands to late morning so parents can join"
NAMED = "Publish the pay bands for every role"


def _watch(j: Any) -> list[str]:
    errors: list[str] = []
    j.page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    j.page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_an_idea_becomes_a_commitment_the_leader_updates_and_the_sponsor_follows(
    journey: Any,
    programme_a: Any,
    org_a: Any,
    coordinator: Any,
    leader: Any,
    mentor: Any,
    sponsor: Any,
) -> None:
    pair = make_pair(programme_a, leader, mentor)
    other = make_pair(
        programme_a,
        colleague(org_a, "leader2@upward.test", 10),
        colleague(org_a, "mentor2@upward.test", 11),
    )
    Pair.objects.filter(pk__in=[pair.pk, other.pk]).update(state=Pair.State.ACTIVE)
    now = timezone.now()
    session = services.idea_session_open(
        programme=programme_a,
        by=coordinator,
        title="What should change here?",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
        votes_per_person=2,
    )

    # --- The mentor, on a phone, submits an idea anonymously and votes for it. ---------------
    me = journey(width=390, height=844, mobile=True)
    me_errors = _watch(me)
    me.sign_in(mentor.email, PASSWORD)
    me.visit("/")
    me.follow("Ideas", exact=True)
    me.follow("What should change here?")
    me.assert_fits_screen()
    me.page.get_by_label("Your idea for the organisation").fill(IDEA)
    me.page.get_by_label("Submit anonymously").check()
    me.submit("Submit the idea")
    assert "anonymously" in me.message()
    me.assert_fits_screen()
    me.submit("Vote for idea 1")
    assert "Your vote is counted" in me.message()
    assert "1 vote left" in me.text()
    idea = Idea.objects.get()
    assert idea.anonymous and idea.author_id is None
    assert not me_errors, me_errors

    # --- The leader submits a named idea and votes for the anonymous one. -------------------
    boss = journey()
    boss_errors = _watch(boss)
    boss.sign_in(leader.email, PASSWORD)
    boss.visit(f"/idea-sessions/{session.pk}/")
    boss.page.get_by_label("Your idea for the organisation").fill(NAMED)
    boss.submit("Submit the idea")
    assert "Your idea is in." in boss.message()
    anonymous_item = boss.page.locator(f"#idea-{idea.pk}")
    boss.submit("Vote for", within=anonymous_item)
    assert IdeaVote.objects.filter(idea=idea).count() == 2
    page = boss.page.content()
    assert "Anonymous" in page and mentor.person.name not in page
    assert not boss_errors, boss_errors

    # --- The coordinator adopts the anonymous idea as the leader's commitment. -------------
    lead = journey()
    lead_errors = _watch(lead)
    lead.sign_in(coordinator.email, PASSWORD, totp_secret=coordinator.totp_secret)
    lead.visit(f"/idea-sessions/{session.pk}/")
    assert mentor.person.name not in lead.page.content()
    lead.follow("Adopt as a commitment", within=lead.page.locator(f"#idea-{idea.pk}"))
    lead.page.get_by_label("Owner (a leader in the programme)").select_option(
        label=leader.person.name
    )
    lead.page.get_by_label("What will change").fill("All-hands meetings start at 11am")
    lead.page.get_by_label("Measure or KPI").fill("Share of staff attending the all-hands")
    lead.page.get_by_label("Baseline (where it is now)").fill("55%")
    lead.page.get_by_label("Target", exact=True).fill("80%")
    lead.page.get_by_label("Due").fill((timezone.localdate() + dt.timedelta(days=90)).isoformat())
    lead.submit("Adopt")
    assert "Adopted" in lead.message()
    commitment = Commitment.objects.get()
    assert commitment.owner == leader and commitment.idea == idea
    assert mentor.person.name not in lead.page.content()
    assert not lead_errors, lead_errors

    # --- The leader finds the commitment and posts an update. -----------------------------
    boss.visit("/ideas/")
    boss.follow("Your commitments")
    boss.follow("All-hands meetings start at 11am")
    boss.page.get_by_label("Status").select_option("in_progress")
    boss.page.get_by_label("What happened").fill(
        "Agreed with the executive team; starts next month."
    )
    boss.page.get_by_label("Evidence (a link or where to look)").fill("Executive minutes, May")
    boss.submit("Post the update")
    assert "Your update is posted" in boss.message()
    commitment.refresh_from_db()
    assert commitment.status == "in_progress"
    assert not boss_errors, boss_errors

    # --- The sponsor sees the follow-through, on a phone too, and not who proposed it. ------
    sees = journey(width=390, height=844, mobile=True)
    sees_errors = _watch(sees)
    sees.sign_in(sponsor.email, PASSWORD)
    sees.visit(f"/programmes/{programme_a.slug}/accountability/")
    sees.assert_fits_screen()
    text = sees.text()
    assert "All-hands meetings start at 11am" in text and "In progress" in text
    assert "On track" in text
    assert mentor.person.name not in sees.page.content()
    sees.follow("All-hands meetings start at 11am")
    assert "Agreed with the executive team" in sees.text()
    assert mentor.person.name not in sees.page.content()
    assert not sees_errors, sees_errors
