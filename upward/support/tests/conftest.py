from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from upward.pairs.models import Pair
from upward.preparation.tests.factory import make_pair


@pytest.fixture
def pair(programme_a: Any, leader: Any, mentor: Any, coordinator: Any) -> Pair:
    return make_pair(programme_a, leader, mentor)


class Clock:
    """A frozen clock: ``timezone.now()`` answers ``at`` until moved."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from django.utils import timezone

        self.at = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.at)

    def set(self, at: dt.datetime) -> None:
        self.at = at


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)
