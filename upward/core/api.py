"""Pieces every API router shares: the error body and the version an edit names."""

from __future__ import annotations

from ninja import Field, Schema

from .versioning import MAX_VERSION


class DetailOut(Schema):
    """Why the request changed nothing, in plain words."""

    detail: str


class VersionIn(Schema):
    """An edit of a shared record names the version it was made from (from the last GET)."""

    version: int = Field(
        ...,
        ge=0,
        le=MAX_VERSION,
        description=(
            "The record's version as last read. If someone else saved it since, nothing is "
            "changed and the answer is 409: read it again and resend the change."
        ),
    )


# The answer to an edit made from an outdated version.
CONFLICT = {409: DetailOut}
