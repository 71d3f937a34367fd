"""Emails of support. None carries a concern's text or an exit reason, and none sent to a
handler names the raiser of an anonymous concern."""

from __future__ import annotations

from typing import Any

from upward.notifications.services import SENT, notify

EVENT_OF = {
    "routed.txt": "concern_routed",
    "message.txt": "concern_message",
    "overdue.txt": "concern_overdue",
    "pair_step.txt": "pair_step",
    "exit_reason.txt": "exit_reason",
}


def _send(user: Any, subject: str, template: str, context: dict[str, Any]) -> int:
    to = getattr(user, "email", "")
    if not to:
        return 0
    outcome = notify(to=user, event=EVENT_OF[template], subject=subject, context=context)
    return 1 if outcome == SENT else 0


def raiser_words(concern: Any) -> str:
    """How the raiser is named to the handler: never by name when anonymous."""
    if concern.anonymous:
        return "someone who asked to stay anonymous"
    return concern.raiser_person.name


def concern_routed(concern: Any) -> int:
    return _send(
        concern.handler,
        f"A concern was routed to you ({concern.programme.name})",
        "routed.txt",
        {"concern": concern, "who": raiser_words(concern)},
    )


def concern_new_message(concern: Any, recipient: Any) -> int:
    return _send(
        recipient,
        f"A new message on a concern ({concern.programme.name})",
        "message.txt",
        {"concern": concern},
    )


def concern_overdue(concern: Any, recipient: Any) -> int:
    return _send(
        recipient,
        f"A concern is overdue ({concern.programme.name})",
        "overdue.txt",
        {"concern": concern, "who": raiser_words(concern)},
    )


def pair_step_neutral(pair: Any, recipient: Any, action: str) -> int:
    """What the other person is told: the neutral line, nothing more."""
    words = "is paused" if action == "pause" else "has ended"
    return _send(
        recipient,
        f"Your mentoring relationship {words} ({pair.programme.name})",
        "pair_step.txt",
        {"pair": pair, "words": words},
    )


def exit_reason_for_coordinator(pair: Any, recipient: Any, action: str, reason: str) -> int:
    return _send(
        recipient,
        f"A pair {'paused' if action == 'pause' else 'ended'}: the reason given "
        f"({pair.programme.name})",
        "exit_reason.txt",
        {"pair": pair, "action": action, "reason": reason},
    )
