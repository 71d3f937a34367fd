"""Support: a mentor raises an anonymous concern, the wellbeing lead answers it without
learning who raised it, and the mentor reads the answer; the leader ends the relationship with
a reason, and the mentor sees only the neutral line."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
from django.db import connection

from personas import PASSWORD
from upward.preparation.tests.factory import make_pair
from upward.support.models import Concern

REASON = "Our diaries never line up and I feel guilty about it."
# The wellbeing lead's reads go to the append-only access log. A live-server test empties the
# database by deleting rows, which SQLite's trigger refuses: the journey's own entries are
# removed with the trigger lifted for that moment only (PostgreSQL empties with TRUNCATE).
_TRIGGERS = import_module("upward.privacy.migrations.0002_access_log_append_only")


@pytest.fixture
def _own_access_log_removed(journey: Any) -> Iterator[None]:
    yield
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for statement in _TRIGGERS.SQLITE_BACKWARD:
            cursor.execute(statement)
        cursor.execute("DELETE FROM privacy_accesslogentry")
        for statement in _TRIGGERS.SQLITE_FORWARD:
            cursor.execute(statement)


def test_anonymous_concern_answered_then_the_leader_ends_neutrally(
    _own_access_log_removed: None,
    journey: Any,
    programme_a: Any,
    coordinator: Any,
    leader: Any,
    mentor: Any,
    wellbeing_lead: Any,
) -> None:
    pair = make_pair(programme_a, leader, mentor)

    # --- The mentor, on a phone, raises a concern anonymously to the wellbeing lead. ---------
    me = journey(width=390, height=844, mobile=True)
    me.sign_in(mentor.email, PASSWORD)
    me.visit(f"/pairs/{pair.pk}/")
    me.follow("support for your mentoring")
    me.follow("Raise a concern", exact=True)
    me.assert_fits_screen()
    me.page.get_by_label("What it is about").select_option("wellbeing")
    me.page.get_by_label("The wellbeing lead").check()
    me.page.get_by_label("Keep my name from the handler too").check()
    me.page.get_by_label("Your concern").fill("Telling my story leaves me drained.")
    me.submit("Send in confidence")
    assert "Your concern was sent" in me.message()
    concern = Concern.objects.get()
    assert (concern.handler_id, concern.anonymous) == (wellbeing_lead.pk, True)

    # --- The wellbeing lead answers from the inbox and never sees the mentor's name. --------
    lead = journey()
    lead.sign_in(wellbeing_lead.email, PASSWORD)
    lead.visit("/support/inbox/")
    assert mentor.person.name not in lead.text()
    lead.visit(f"/support/concerns/{concern.pk}/")
    assert "Telling my story leaves me drained." in lead.text()
    assert mentor.person.name not in lead.page.content()
    lead.page.get_by_label("Your message").fill("Thank you for telling me. Shall we talk?")
    lead.submit("Send")
    assert "Sent." in lead.message()

    # --- The mentor reads the answer. -------------------------------------------------------
    me.visit(f"/support/concerns/{concern.pk}/")
    assert "Thank you for telling me. Shall we talk?" in me.text()

    # --- The leader ends the relationship with a reason for the coordinator. ---------------
    boss = journey()
    boss.sign_in(leader.email, PASSWORD)
    boss.visit(f"/pairs/{pair.pk}/")
    boss.page.get_by_label("Reason, for the coordinator only").fill(REASON)
    boss.submit("End the mentoring")
    pair.refresh_from_db()
    assert pair.state == "ended"

    # --- The mentor sees that it ended, and nothing more. ----------------------------------
    me.visit(f"/pairs/{pair.pk}/")
    assert "Ended" in me.text()
    assert REASON not in me.page.content()
    me.visit("/support/")
    assert REASON not in me.page.content()
