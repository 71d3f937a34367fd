"""Bounds for every numeric and date input, of pages and of the API.

A number or date without bounds reaches the database or date arithmetic and fails there (an
offset past SQLite's integers, a date one day before year 10,000). These types and fields
refuse such values where input is validated, with a message; a test walks the OpenAPI
document to check that every numeric and date input of the API uses them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from ninja import Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, Field

# Ids, versions and other counters: the largest integer a JSON number carries exactly.
MAX_ID = 2**53 - 1
# No list here has a million rows; a page further on is simply empty.
MAX_OFFSET = 1_000_000
MAX_PAGE = 100_000
MAX_PAGE_SIZE = 1000
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2999, 12, 31)
DATE_MESSAGE = "Enter a date between 1 January 1900 and 31 December 2999."
_DATE_SCHEMA = {
    "formatMinimum": EARLIEST_DATE.isoformat(),
    "formatMaximum": LATEST_DATE.isoformat(),
}


def _date_in_range(value: dt.date) -> dt.date:
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(DATE_MESSAGE)
    return value


def _datetime_in_range(value: dt.datetime) -> dt.datetime:
    _date_in_range(value)
    return value


# --- API (pydantic) ------------------------------------------------------------------------------

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]
BoundedDate = Annotated[
    dt.date, AfterValidator(_date_in_range), Field(json_schema_extra=_DATE_SCHEMA)
]
BoundedDateTime = Annotated[
    dt.datetime, AfterValidator(_datetime_in_range), Field(json_schema_extra=_DATE_SCHEMA)
]


class BoundedPageNumberPagination(PageNumberPagination):
    """ninja's page-number pagination with an upper bound on the page and its size."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)


# --- pages (Django forms) ------------------------------------------------------------------------


class BoundedDateField(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators += [
            MinValueValidator(EARLIEST_DATE, message=DATE_MESSAGE),
            MaxValueValidator(LATEST_DATE, message=DATE_MESSAGE),
        ]


class IdField(forms.IntegerField):
    """A record's number in a query string: a whole number from 1 to MAX_ID."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


def id_param(value: str | None) -> int | None:
    """A record's number from a query string, or None when it is missing or out of bounds."""
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 1 <= number <= MAX_ID else None
