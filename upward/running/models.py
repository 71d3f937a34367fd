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


class PairNote(Versioned):
    """A note both people of the pair read and write; every saved text is kept as a revision."""

    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="notes")
    title = models.CharField(max_length=200)
    body = EncryptedTextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return f"Note {self.pk} of pair {self.pair_id}"


class PairNoteRevision(models.Model):
    """One saved text of a pair note, oldest first: the note's history."""

    note = models.ForeignKey(PairNote, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = EncryptedTextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["note", "number"], name="note_revision_once"),
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of note {self.note_id}"


class Reflection(models.Model):
    """A private reflection: only its author ever reads it. Not in the admin, not on any
    coordinator's page, not in anyone else's export, and the API serves it to its author only."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="+")
    body = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Reflection {self.pk}"


class Goal(Versioned):
    """A SMART goal of one of the two people, private to the pair."""

    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="goals")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    statement = EncryptedTextField()
    measure = EncryptedTextField(blank=True)
    target = EncryptedTextField(blank=True)
    due_on = models.DateField(null=True, blank=True)
    objective = models.ForeignKey(
        "programmes.Objective", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why the owner kept it although the SMART check found problems (empty when it passed).
    kept_because = EncryptedTextField(blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="goal_progress_range", condition=models.Q(progress__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return f"Goal {self.pk} of pair {self.pair_id}"


class GoalUpdate(models.Model):
    """A progress update: the history of a goal."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="updates")
    percent = models.PositiveSmallIntegerField()
    comment = EncryptedTextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.percent}% on goal {self.goal_id}"


class CheckIn(models.Model):
    """A short question to one person of a pair: the fit check after the first meeting, then
    relationship check-ins at the programme's cadence. The answer is private to its person:
    a coordinator sees only that it was answered and, for the fit, whether it was low."""

    class Kind(models.TextChoices):
        FIT = "fit", "Fit check"
        RELATIONSHIP = "relationship", "Relationship check-in"

    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="checkins")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    due_on = models.DateField()
    answered_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = EncryptedTextField(blank=True)
    # The person chose to let the coordinator read the comment (off unless they tick it).
    shared = models.BooleanField(default=False)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "user", "kind", "due_on"], name="checkin_once_per_day"
            ),
        ]
        indexes = [models.Index(fields=["pair", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.user_id} for pair {self.pair_id}"


class NudgePreference(models.Model):
    """How often a person accepts reminders about their pair (never more often than the site's
    RUNNING_NUDGE_MIN_DAYS)."""

    class Every(models.IntegerChoices):
        WEEK = 7, "At most once a week"
        FORTNIGHT = 14, "At most once a fortnight"
        MONTH = 30, "At most once a month"
        NEVER = 0, "Never"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nudge_preference"
    )
    every_days = models.PositiveSmallIntegerField(choices=Every.choices, default=Every.WEEK)

    def __str__(self) -> str:
        return f"Nudges for {self.user_id}: {self.every_days}"


class Nudge(models.Model):
    """A reminder sent: the record that keeps them to one per period."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="+")
    reasons = models.JSONField(default=list)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["user", "sent_at"])]

    def __str__(self) -> str:
        return f"Nudge to {self.user_id}"


class RunningSettings(Versioned):
    """A programme's own settings for running its pairs; a programme without a row follows the
    site's defaults (RUNNING_QUIET_WEEKS)."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="running_settings"
    )
    quiet_weeks = models.PositiveSmallIntegerField(
        help_text="Weeks without a meeting after which a pair counts as quiet and is reminded."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "running settings"
        verbose_name_plural = "running settings"
        constraints = [
            models.CheckConstraint(
                name="running_quiet_weeks_range",
                condition=models.Q(quiet_weeks__gte=1, quiet_weeks__lte=52),
            ),
        ]

    def __str__(self) -> str:
        return f"Running settings of programme {self.programme_id}"
