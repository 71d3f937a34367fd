from __future__ import annotations

from typing import Any

import pytest

from upward.pairs.models import Pair
from upward.preparation.tests.factory import make_pair


@pytest.fixture
def pair(programme_a: Any, leader: Any, mentor: Any, coordinator: Any) -> Pair:
    """An active pair: the leader in London, the mentor in New York."""
    made = make_pair(programme_a, leader, mentor)
    Pair.objects.filter(pk=made.pk).update(state=Pair.State.ACTIVE)
    leader.person.time_zone = "Europe/London"
    leader.person.save(update_fields=["time_zone"])
    mentor.person.time_zone = "America/New_York"
    mentor.person.save(update_fields=["time_zone"])
    made.refresh_from_db()
    made.leader.person.refresh_from_db()
    made.mentor.person.refresh_from_db()
    return made
