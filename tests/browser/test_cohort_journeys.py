"""Cohort life: a leader posts in the cohort space and the mentor replies (reporting nothing);
the two exchange a private message; the coordinator sees the post, and not the message. Every
page is checked with axe, the browser console stays clean, and the mentor's phone (390 px)
never scrolls sideways."""

from __future__ import annotations

from typing import Any

from personas import PASSWORD
from upward.cohort.models import PairMessage, Post, Report
from upward.pairs.models import Pair
from upward.preparation.tests.factory import make_pair

POST = "Our first meeting went better than I feared. What helped you open up?"
REPLY = "Agreeing what stays between us, before anything else."
SECRET = "Can we talk about the team restructure on Tuesday?"
ANSWER = "Yes, and I will bring what I have heard from the juniors."


def _console(journey: Any) -> list[str]:
    problems: list[str] = []
    journey.page.on(
        "console", lambda m: problems.append(m.text) if m.type in {"error", "warning"} else None
    )
    journey.page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def test_a_post_a_reply_and_a_private_message_the_coordinator_never_reads(
    journey: Any, programme_a: Any, coordinator: Any, leader: Any, mentor: Any
) -> None:
    pair = make_pair(programme_a, leader, mentor)
    Pair.objects.filter(pk=pair.pk).update(state=Pair.State.ACTIVE)
    slug = programme_a.slug

    # --- The leader posts in the cohort space. ----------------------------------------------
    boss = journey()
    boss_console = _console(boss)
    boss.sign_in(leader.email, PASSWORD)
    boss.visit("/")
    boss.follow("Cohort space", exact=True)
    boss.follow(programme_a.name)
    boss.page.get_by_label("Your post").fill(POST)
    boss.submit("Post", exact=True)
    assert "Posted." in boss.message()
    assert POST in boss.text()

    # --- The mentor, on a phone, replies and reports nothing. -------------------------------
    me = journey(width=390, height=844, mobile=True)
    me_console = _console(me)
    me.sign_in(mentor.email, PASSWORD)
    me.visit(f"/programmes/{slug}/cohort/")
    me.assert_fits_screen()
    assert POST in me.text()
    me.page.get_by_label("Your reply").first.fill(REPLY)
    me.submit("Reply", exact=True)
    assert "Reply posted." in me.message()
    assert REPLY in me.text()
    me.assert_fits_screen()
    assert not Report.objects.exists()

    # --- The two exchange a private message. ------------------------------------------------
    me.visit("/cohort/")
    me.follow(f"{leader.person.name} and {mentor.person.name}")
    me.assert_fits_screen()
    me.page.get_by_label("Your message").fill(SECRET)
    me.submit("Send", exact=True)
    assert "Only the two of you can read it." in me.message()
    assert SECRET in me.text()
    boss.visit(f"/pairs/{pair.pk}/messages/")
    assert SECRET in boss.text()
    boss.page.get_by_label("Your message").fill(ANSWER)
    boss.submit("Send", exact=True)
    assert ANSWER in boss.text()
    assert PairMessage.objects.filter(pair=pair).count() == 2

    # --- The coordinator sees the post and the reply, never the messages. -------------------
    lead = journey()
    lead_console = _console(lead)
    lead.sign_in(coordinator.email, PASSWORD, totp_secret=coordinator.totp_secret)
    lead.visit(f"/programmes/{slug}/cohort/")
    assert POST in lead.text() and REPLY in lead.text()
    assert SECRET not in lead.page.content() and ANSWER not in lead.page.content()
    response = lead.goto(f"/pairs/{pair.pk}/messages/")
    assert response is not None and response.status == 404
    assert SECRET not in lead.page.content()
    lead.visit("/cohort/")
    assert SECRET not in lead.page.content()
    assert Post.objects.filter(programme=programme_a).count() == 2

    for problems in (boss_console, me_console):
        assert problems == [], problems
    # The coordinator's only console line is the browser's own note of the refused page.
    assert all("404" in p for p in lead_console), lead_console
