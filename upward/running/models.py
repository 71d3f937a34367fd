"""Running a pair: meetings (proposed times, the chosen one, the outcome) and each person's
private calendar feed."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from upward.core.versioning import Versioned
from upward.privacy.fields import EncryptedTextField


def new_uid() -> str:
    return f"meeting-{uuid.uuid4()}@upward"


class Meeting(Versioned):
    """One meeting of a pair: proposed with one or more times, scheduled when the other person
    picks one, then held, a no-show or cancelled."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        NO_SHOW = "no_show", "No-show"
        CANCELLED = "cancelled", "Cancelled"

    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="meetings")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    starts_at = models.DateTimeField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(default=60, help_text="Planned length.")
    place = models.CharField(max_length=300, blank=True)
    # The calendar invitation: a move keeps the UID and raises the SEQUENCE.
    uid = models.CharField(max_length=100, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    # After the meeting: how long it really took and what it covered (pair-private).
    held_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    topics_covered = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["pair", "state", "starts_at"])]

    def __str__(self) -> str:
        return f"Meeting {self.pk} of pair {self.pair_id}"


class MeetingOption(models.Model):
    """One of the times a person proposed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="options")
    starts_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} for meeting {self.meeting_id}"


class CalendarFeed(models.Model):
    """A person's private calendar feed: only a hash of its secret token is kept."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user_id}"
