"""Notifications API: read and change one's own choice of emails for each category. Only one's
own: nothing here reads or changes anyone else's."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from upward.core.api_base import ErrorOut

from . import catalogue, selectors, services

router = Router(tags=["notifications"])
ERRORS: dict[int, Any] = {400: ErrorOut}

EveryIn = Literal["each", "digest", "none"]


class NotificationsCategoryOut(Schema):
    key: str = Field(..., description="The category's key, as used to change it.")
    name: str
    every: str = Field(..., description="each, digest or none.")
    can_change: bool = Field(..., description="False when every email of it is always sent.")
    emails: list[str] = Field(..., description="The emails of this category, by name.")


class NotificationsChoicesOut(Schema):
    categories: list[NotificationsCategoryOut]


class NotificationsChoicesIn(Schema):
    choices: dict[str, EveryIn] = Field(
        ...,
        min_length=1,
        max_length=len(catalogue.CATEGORIES),
        description="Category key to each, digest or none; categories not given keep theirs.",
        examples=[{"cohort_posts": "digest", "reminders": "none"}],
    )


def _out(user: Any) -> dict[str, Any]:
    choices = selectors.choices_of(user)
    return {
        "categories": [
            {
                "key": key,
                "name": category.name,
                "every": choices[key],
                "can_change": catalogue.choosable(key),
                "emails": [e.name for e in catalogue.events_of(key)],
            }
            for key, category in catalogue.CATEGORIES.items()
        ]
    }


@router.get(
    "/notifications/preferences",
    response=NotificationsChoicesOut,
    summary="Your choice of emails for each category: each one, a daily digest or none",
)
def preferences(request: HttpRequest) -> dict[str, Any]:
    return _out(request.user)


@router.put(
    "/notifications/preferences",
    response={200: NotificationsChoicesOut, **ERRORS},
    summary="Change your choice of emails for some categories",
)
def preferences_set(request: HttpRequest, body: NotificationsChoicesIn) -> dict[str, Any]:
    services.preferences_set(user=request.user, choices=dict(body.choices))
    return _out(request.user)
