from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from upward.pairs.models import Pair
from upward.preparation.models import Agreement
from upward.preparation.tests.factory import make_pair
from upward.programmes.models import Programme


def sign(pair: Pair, *sides: str) -> None:
    agreement = Agreement.objects.filter(pair=pair).order_by("-number").first()
    assert agreement is not None
    for side in sides or ("leader", "mentor"):
        setattr(agreement, f"{side}_signed_at", timezone.now())
        setattr(agreement, f"{side}_signed_name", side)
    agreement.save()


def closable(programme: Programme) -> Programme:
    """A programme past its readiness and applications, so its phase can move on."""
    now = timezone.now()
    Programme.objects.filter(pk=programme.pk).update(
        phase=Programme.Phase.CLOSE,
        readiness_overridden_at=now,
        readiness_override_reason="Tests",
        applications_opened_at=now,
        applications_closed_at=now,
    )
    programme.refresh_from_db()
    return programme


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def pair(programme_a: Any, leader: Any, mentor: Any, coordinator: Any) -> Pair:
    made = make_pair(programme_a, leader, mentor)
    Pair.objects.filter(pk=made.pk).update(state=Pair.State.ACTIVE)
    made.refresh_from_db()
    return made


@pytest.fixture
def signed_pair(pair: Pair) -> Pair:
    sign(pair)
    return pair
