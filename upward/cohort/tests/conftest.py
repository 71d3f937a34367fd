from __future__ import annotations

from typing import Any

import pytest

from personas import make_user
from upward.pairs.models import Pair
from upward.preparation.tests.factory import colleague, make_pair


@pytest.fixture
def pair(programme_a: Any, leader: Any, mentor: Any, coordinator: Any) -> Pair:
    """The leader and mentor's active pair in programme A."""
    made = make_pair(programme_a, leader, mentor)
    Pair.objects.filter(pk=made.pk).update(state=Pair.State.ACTIVE)
    made.refresh_from_db()
    return made


@pytest.fixture
def other_pair(programme_a: Any, org_a: Any, pair: Pair) -> Pair:
    """A second active pair of the same programme: people of the cohort, not of the pair."""
    made = make_pair(
        programme_a,
        colleague(org_a, "other-leader@upward.test", 5),
        colleague(org_a, "other-mentor@upward.test", 6),
    )
    Pair.objects.filter(pk=made.pk).update(state=Pair.State.ACTIVE)
    made.refresh_from_db()
    return made


@pytest.fixture
def superuser() -> Any:
    root = make_user("root@upward.test", totp=True)
    root.is_staff = root.is_superuser = True
    root.save(update_fields=["is_staff", "is_superuser"])
    return root
