"""Reads of notification choices."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .catalogue import CATEGORIES
from .models import Preference


def choices_of(user: Any) -> dict[str, str]:
    """Each category's choice for this person (the default where they made none)."""
    chosen = dict(Preference.objects.filter(user_id=user.pk).values_list("category", "every"))
    return {key: chosen.get(key, c.default) for key, c in CATEGORIES.items()}


def choice_of(user_id: int, category: str) -> str:
    found = (
        Preference.objects.filter(user_id=user_id, category=category)
        .values_list("every", flat=True)
        .first()
    )
    return found or CATEGORIES[category].default


def choices_for(user_ids: Iterable[int], category: str) -> dict[int, str]:
    """One category's choice for many people at once (one query)."""
    ids = set(user_ids)
    chosen = dict(
        Preference.objects.filter(user_id__in=ids, category=category).values_list(
            "user_id", "every"
        )
    )
    default = CATEGORIES[category].default
    return {user_id: chosen.get(user_id, default) for user_id in ids}
