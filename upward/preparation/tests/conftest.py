from __future__ import annotations

from typing import Any

import pytest

from upward.pairs.models import Pair
from upward.preparation import services
from upward.preparation.models import Track

from .factory import make_pair


@pytest.fixture
def pair(programme_a: Any, leader: Any, mentor: Any, coordinator: Any) -> Pair:
    return make_pair(programme_a, leader, mentor)


@pytest.fixture
def tracks(programme_a: Any, coordinator: Any) -> list[Track]:
    """The ready-made tracks: mentors (3 modules), leaders (3, one with a check), everyone (2)."""
    return services.default_tracks_add(programme=programme_a, by=coordinator)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded training files go to a temporary folder, never the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"
