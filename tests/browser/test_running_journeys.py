"""Running: a mentor proposes times, the leader picks one; after the meeting both mark it held,
write a shared note and a private reflection, set and update a goal and answer the fit check.
The coordinator sees the pair's health on the running board, never the reflection's words, and
after the low fit offers a no-fault rematch.

Every page is checked with axe-core, must log no error in the browser console, and the mentor's
pages fit a 390 px phone screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from personas import PASSWORD
from upward.pairs.models import Pair
from upward.preparation.tests.factory import make_pair
from upward.running.models import CheckIn, Goal, Meeting, PairNote, Reflection

REFLECTION = "I interrupted twice; next time I will count to three."


def _watch_console(journey: Any) -> list[str]:
    errors: list[str] = []
    journey.page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    journey.page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_propose_pick_hold_note_reflect_goal_check_in_then_the_board(
    journey: Any, programme_a: Any, coordinator: Any, leader: Any, mentor: Any
) -> None:
    pair = make_pair(programme_a, leader, mentor)
    Pair.objects.filter(pk=pair.pk).update(state=Pair.State.ACTIVE)
    leader.person.time_zone = "Europe/London"
    leader.person.save(update_fields=["time_zone"])
    mentor.person.time_zone = "America/New_York"
    mentor.person.save(update_fields=["time_zone"])
    soon = (timezone.now() + dt.timedelta(days=10)).astimezone(dt.UTC)

    # --- The mentor, on a phone, proposes two times in their own zone. ----------------------
    me = journey(width=390, height=844, mobile=True)
    me_errors = _watch_console(me)
    me.sign_in(mentor.email, PASSWORD)
    me.visit("/meetings/", shot="running-mine-mentor")
    me.assert_fits_screen()
    me.follow("Meetings of this pair")
    me.assert_fits_screen()
    me.page.get_by_label("First time").fill(soon.strftime("%Y-%m-%dT09:00"))
    me.page.get_by_label("Second time (optional)").fill(soon.strftime("%Y-%m-%dT14:00"))
    me.page.get_by_label("Where (a room or a video link)").fill("Room 4")
    me.submit("Propose")
    assert "Proposed." in me.message()
    meeting = Meeting.objects.get(pair=pair)
    assert (meeting.state, meeting.options.count()) == ("proposed", 2)
    me.assert_fits_screen()

    # --- The leader picks the second time, shown in both zones. ------------------------------
    lead = journey()
    lead_errors = _watch_console(lead)
    lead.sign_in(leader.email, PASSWORD)
    lead.visit(f"/pairs/{pair.pk}/meetings/", shot="running-pick")
    assert f"{mentor.person.name}:" in lead.text() and f"{leader.person.name}:" in lead.text()
    lead.page.get_by_role("radio").nth(1).check()
    lead.submit("Pick this time")
    assert "Arranged." in lead.message()
    meeting.refresh_from_db()
    assert meeting.state == "scheduled"
    assert meeting.starts_at is not None
    assert meeting.starts_at.astimezone(dt.UTC).hour in (18, 19)  # 14:00 in New York

    # The meeting took place: time passes.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))

    # --- Both mark it held. ------------------------------------------------------------------
    lead.visit(f"/pairs/{pair.pk}/meetings/")
    lead.page.get_by_label("How long it took, in minutes").fill("45")
    lead.page.get_by_label("Topics covered").fill("Hiring, and how decisions travel")
    lead.submit("Save the outcome")
    assert "Saved." in lead.message()
    me.visit(f"/pairs/{pair.pk}/meetings/")
    me.assert_fits_screen()
    me.page.get_by_label("How long it took, in minutes").fill("50")
    me.submit("Save the outcome")
    assert "Saved." in me.message()
    meeting.refresh_from_db()
    assert (meeting.state, meeting.held_minutes) == ("held", 50)

    # --- The mentor writes a shared note and a private reflection. ---------------------------
    me.follow("Notes and reflections")
    me.assert_fits_screen()
    me.page.get_by_label("Title").last.fill("What we agreed")
    me.page.get_by_label("Note", exact=True).last.fill("Next time: the budget round.")
    me.submit("Add the note")
    assert "Note saved." in me.message()
    me.page.get_by_label("A new reflection").fill(REFLECTION)
    me.submit("Save the reflection")
    assert "Only you can read it." in me.message()
    assert REFLECTION in me.text()
    assert PairNote.objects.filter(pair=pair).count() == 1
    assert Reflection.objects.get().author_id == mentor.pk

    # The leader reads the note, never the mentor's reflection.
    lead.visit(f"/pairs/{pair.pk}/notes/")
    assert "Next time: the budget round." in lead.text()
    assert REFLECTION not in lead.page.content()

    # --- The leader sets a goal (kept with a reason) and updates it. -------------------------
    lead.visit(f"/pairs/{pair.pk}/goals/")
    lead.page.get_by_label("Your goal").fill("Hold a listening hour with the night shift")
    lead.page.get_by_label("How you will measure it").fill("Hours held")
    lead.page.get_by_label("Target").fill("Three")
    lead.page.get_by_label("Due date").fill(
        (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    )
    lead.submit("Check and save")
    assert "The goal is not SMART yet" in lead.text()
    assert "Link it to one of the programme's objectives." in lead.text()
    # The refused draft comes back with 400, which the console reports; nothing else may.
    assert lead_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    lead_errors.clear()
    lead.page.get_by_label("If the check finds problems").fill("The objectives are still drafts")
    lead.submit("Check and save")
    assert "Goal saved." in lead.message()
    lead.page.get_by_label("Progress (%)").fill("40")
    lead.page.get_by_label("Comment").fill("First hour held")
    lead.submit("Save progress")
    assert "Progress saved." in lead.message()
    goal = Goal.objects.get()
    assert (goal.progress, goal.updates.count()) == (40, 1)

    # --- Both answer the fit check; the mentor's is low. --------------------------------------
    lead.visit("/meetings/")
    lead.follow("Fit check")
    lead.page.get_by_label("4").check()
    lead.submit("Send my answer")
    assert "Thank you." in lead.message()
    me.visit("/meetings/")
    me.follow("Fit check")
    me.assert_fits_screen()
    me.page.get_by_label("2").check()
    me.page.get_by_label("Anything you want to note").fill("We talk past each other.")
    me.submit("Send my answer")
    assert "Thank you." in me.message()
    assert set(CheckIn.objects.filter(pair=pair).values_list("score", flat=True)) == {2, 4}

    # --- The coordinator sees the pair's health, not the reflection or the comment. -----------
    boss = journey()
    boss_errors = _watch_console(boss)
    boss.sign_in(coordinator.email, PASSWORD, totp_secret=coordinator.totp_secret)
    boss.visit(f"/programmes/{programme_a.slug}/running/", shot="running-board")
    row = boss.page.get_by_role("row").filter(has_text=leader.person.name)
    assert "Needs attention" in row.inner_text()
    assert "A low fit was reported after the first meeting" in row.inner_text()
    page = boss.page.content()
    assert REFLECTION not in page
    assert "We talk past each other." not in page
    assert "Next time: the budget round." not in page

    # After the low fit, the coordinator offers a no-fault rematch from the pair's row.
    boss.submit("a no-fault rematch", within=row)
    assert "has ended without fault" in boss.message()
    pair.refresh_from_db()
    assert pair.state == "ended"

    assert not me_errors, me_errors
    assert not lead_errors, lead_errors
    assert not boss_errors, boss_errors
