from __future__ import annotations

from typing import Any

from django import template

from .. import selectors

register = template.Library()

_PLURAL = {"leader": "leaders", "mentor": "mentors"}


@register.filter
def side_plural(side: str) -> str:
    """'leader' → 'leaders', for headings such as “Application form for leaders”."""
    return _PLURAL.get(side, side)


@register.inclusion_tag("programmes/_dashboard.html")
def programme_cards(user: Any) -> dict[str, Any]:
    """The home page's programme section for one person: what they coordinate and take part in."""
    return {
        "participating": selectors.participant_programmes(user),
        "can_set_up": selectors.can_set_up_programmes(user),
        "user": user,
    }
