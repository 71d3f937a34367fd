"""Emails of recognition: the thanks each person gets when their programme closes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def programme_closed(programme: Any, told: list[tuple[Any, str, str]]) -> int:
    """Tell each person of a closed pair, after the close-out was saved."""
    sent = 0
    for user, name, partner in told:
        to = getattr(user, "email", "")
        if not to:
            continue
        body = render_to_string(
            "recognition/email/closed.txt",
            {"programme": programme, "name": name, "partner": partner},
        )
        send_mail(
            f"{programme.name} has closed: thank you", body, settings.DEFAULT_FROM_EMAIL, [to]
        )
        sent += 1
    return sent
