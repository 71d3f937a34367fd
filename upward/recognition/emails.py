"""Emails of recognition: the thanks each person gets when their programme closes."""

from __future__ import annotations

from typing import Any

from upward.notifications.services import SENT, notify


def programme_closed(programme: Any, told: list[tuple[Any, str, str]]) -> int:
    """Tell each person of a closed pair, after the close-out was saved."""
    sent = 0
    for user, name, partner in told:
        to = getattr(user, "email", "")
        if not to:
            continue
        outcome = notify(
            to=user,
            event="programme_closed",
            subject=f"{programme.name} has closed: thank you",
            context={"programme": programme, "name": name, "partner": partner},
            programme=programme,
        )
        sent += outcome == SENT
    return sent
