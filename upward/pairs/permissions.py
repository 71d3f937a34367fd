"""Who may see and act on a pair: its two people and the programme's coordinators."""

from __future__ import annotations

from typing import Any

from upward.accounts.permissions import can_coordinate

from .models import Pair


def is_member(user: Any, pair: Pair) -> bool:
    return pair.side_of(user) is not None


def can_see(user: Any, pair: Pair) -> bool:
    """The two people and the programme's coordinators; nobody else."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_member(user, pair) or can_coordinate(user, pair.programme)


def can_change_state(user: Any, pair: Pair, action: str) -> bool:
    """Either person may pause, resume or end without fault; a coordinator may do anything."""
    if can_coordinate(user, pair.programme):
        return True
    return is_member(user, pair) and action in ("pause", "resume", "end")
