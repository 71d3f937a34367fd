"""Preparation: a mentor and a leader each finish their training and sign their agreement, and
their pair becomes active; the coordinator waives a requirement for another pair, with a reason.
"""

from __future__ import annotations

from typing import Any

from personas import PASSWORD
from upward.pairs.models import Pair
from upward.preparation import services
from upward.preparation.models import Agreement, Waiver
from upward.preparation.tests.factory import colleague, make_pair


def test_both_prepare_and_sign_then_the_coordinator_waives_for_another_pair(
    journey: Any, programme_a: Any, org_a: Any, coordinator: Any, leader: Any, mentor: Any
) -> None:
    pair = make_pair(programme_a, leader, mentor)
    other = make_pair(
        programme_a, colleague(org_a, "l2@upward.test", 0), colleague(org_a, "m2@upward.test", 1)
    )
    mentors = services.track_save(
        programme=programme_a, by=coordinator, title="Preparing to mentor", audience="mentors"
    )
    services.module_save(
        track=mentors,
        by=coordinator,
        title="Sharing your story safely",
        body="You choose what to share.",
    )
    leaders = services.track_save(
        programme=programme_a, by=coordinator, title="Preparing to be mentored", audience="leaders"
    )
    services.module_save(
        track=leaders,
        by=coordinator,
        title="Learning from one story",
        body="One person's story is **one** story.",
        pass_mark=100,
        questions="What do you do with one story?\n- Generalise from it\n* Listen, then look wider",
    )

    # --- The mentor, on a phone: training, then their part of the agreement, then signing. ----
    me = journey(width=390, height=844, mobile=True)
    me.sign_in(mentor.email, PASSWORD)
    me.visit("/my-pair/", shot="my-pair-mentor")
    assert "Before your mentoring begins" in me.text()
    me.follow("Your training")
    me.follow("Sharing your story safely")
    me.assert_fits_screen()
    me.submit("I have read this")
    assert "You finished" in me.message()
    me.visit(f"/pairs/{pair.pk}/agreement/", shot="agreement-mentor")
    me.assert_fits_screen()
    me.page.get_by_label("What the mentor hopes to gain").fill("To see how decisions are made.")
    me.submit("Save the agreement")
    assert "Saved." in me.message()

    # --- The leader: the knowledge check (a wrong answer first), their gains, then signing. ---
    lead = journey()
    lead.sign_in(leader.email, PASSWORD)
    lead.visit("/my-training/", shot="my-training-leader")
    lead.follow("Learning from one story")
    lead.page.get_by_label("Generalise from it").check()
    lead.submit("Check my answers")
    assert "the pass mark is 100%" in lead.message()
    lead.page.get_by_label("Listen, then look wider").check()
    lead.submit("Check my answers")
    assert "You finished" in lead.message()
    lead.visit(f"/pairs/{pair.pk}/agreement/")
    lead.page.get_by_label("What the leader hopes to gain").fill("To hear it straight.")
    lead.submit("Save the agreement")
    lead.page.get_by_label("Type your full name to sign").fill(leader.person.name)
    lead.submit("Sign version 1")
    assert "Signed." in lead.message()
    pair.refresh_from_db()
    assert pair.state == "preparing"

    me.visit(f"/pairs/{pair.pk}/agreement/")
    me.page.get_by_label("Type your full name to sign").fill(mentor.person.name)
    me.submit("Sign version 1")
    assert "your pair is now active" in me.message()
    pair.refresh_from_db()
    assert pair.state == "active"
    agreement = Agreement.objects.get(pair=pair)
    assert (agreement.number, agreement.leader_signed_name, agreement.mentor_signed_name) == (
        1,
        leader.person.name,
        mentor.person.name,
    )
    me.visit(f"/pairs/{pair.pk}/", shot="pair-active")
    assert "Active" in me.text()

    # --- The coordinator: the pairs board, and a waiver for the other pair. ------------------
    boss = journey()
    boss.sign_in(coordinator.email, PASSWORD, totp_secret=coordinator.totp_secret)
    boss.visit(f"/programmes/{programme_a.slug}/pairs/", shot="pairs-board")
    assert f"{other.mentor.person.name}'s training" in boss.text()
    row = boss.page.get_by_role("row").filter(has_text=other.leader.person.name)
    row.get_by_label("Requirement").select_option("training:mentor")
    row.get_by_label("Reason").fill("Trained in last year's pilot")
    boss.submit("Waive", within=row)
    assert "Waived" in boss.message()
    waiver = Waiver.objects.get(pair=other)
    assert (waiver.requirement, waiver.reason, waiver.by) == (
        "training:mentor",
        "Trained in last year's pilot",
        coordinator,
    )
    assert Pair.objects.get(pk=other.pk).state == "preparing"  # still waits for the rest
    assert f"{other.mentor.person.name}'s training" not in boss.text()
