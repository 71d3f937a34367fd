"""The private calendar feed: it opens only with its secret token, only a hash is stored, and a
reset makes the old address stop working."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from django.urls import reverse

from upward.pairs.models import Pair
from upward.running import services
from upward.running.models import CalendarFeed

pytestmark = pytest.mark.django_db


def test_the_feed_needs_its_token_and_stops_after_a_reset(
    client: Any, pair: Pair, leader: Any, mentor: Any
) -> None:
    start = dt.datetime(2030, 3, 5, 12, 0, tzinfo=dt.UTC)
    meeting = services.meeting_propose(pair=pair, by=leader, times=[start])
    services.meeting_pick(meeting=meeting, by=mentor, option_id=meeting.options.get().pk, version=1)
    services.meeting_propose(pair=pair, by=leader, times=[start + dt.timedelta(days=3)])

    client.force_login(leader)
    client.post(reverse("running:feed_reset"))
    page = client.get(reverse("running:mine")).content.decode()
    first_url = page.split('<code class="break">')[1].split("</code>")[0]
    token = first_url.split("/calendar/")[1].split("/")[0]
    stored = CalendarFeed.objects.get(user=leader)
    assert stored.token_hash == services.feed_hash(token) and token not in stored.token_hash
    # The address is shown once only.
    assert token not in client.get(reverse("running:mine")).content.decode()

    client.logout()
    response = client.get(reverse("running:feed", args=[token]))
    assert response.status_code == 200
    cal = icalendar.Calendar.from_ical(response.content)
    events = cal.walk("VEVENT")
    # Only the scheduled meeting: a proposal without a chosen time is not in the calendar.
    assert [(str(e["UID"]), e.decoded("DTSTART").astimezone(dt.UTC)) for e in events] == [
        (meeting.uid, start)
    ]
    assert client.get(reverse("running:feed", args=["not-the-token"])).status_code == 404

    new_token = services.feed_reset(user=leader)
    assert client.get(reverse("running:feed", args=[token])).status_code == 404
    assert client.get(reverse("running:feed", args=[new_token])).status_code == 200
