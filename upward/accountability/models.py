"""Idea sessions and their ideas and votes, leaders' commitments that adopted ideas become,
and nominations of mentors for sponsorship opportunities.

An idea submitted anonymously keeps **no link at all** to its author: no user, no keyed hash,
and only the day it was submitted (not the moment), so nothing a page, an export, the API or
the admin shows can lead back to the person, and neither can the database. The cost is plain
and told to the person when they choose it: an anonymous idea does not appear in their own list
and cannot be withdrawn. Duplicate ideas are caught by their normalised text within a session,
whoever wrote them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from upward.core.versioning import Versioned

MAX_VOTES = 20


class IdeaSession(Versioned):
    """A window in which a programme's participants submit ideas for the organisation."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="idea_sessions"
    )
    title = models.CharField(max_length=200)
    prompt = models.TextField(blank=True, max_length=2000)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    votes_per_person = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(MAX_VOTES)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at


class IdeaGroup(models.Model):
    """Similar ideas the coordinator put together under one title."""

    session = models.ForeignKey(IdeaSession, on_delete=models.CASCADE, related_name="groups")
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Idea(models.Model):
    session = models.ForeignKey(IdeaSession, on_delete=models.CASCADE, related_name="ideas")
    text = models.TextField(max_length=2000)
    # Lower case, single spaces: two ideas with the same words are one idea.
    normalised = models.CharField(max_length=2000, editable=False)
    anonymous = models.BooleanField(default=False)
    # Set only for a named idea; an anonymous idea never has one (see the module's note).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accountability_ideas",
    )
    submitted_on = models.DateField(help_text="The day only: a moment could point to a person.")
    group = models.ForeignKey(
        IdeaGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    adopted = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="idea_anonymous_has_no_author",
                condition=models.Q(anonymous=False) | models.Q(author__isnull=True),
            ),
            models.UniqueConstraint(fields=["session", "normalised"], name="idea_unique_text"),
        ]

    def __str__(self) -> str:
        return f"Idea {self.pk}"

    @property
    def author_shown(self) -> str:
        if self.anonymous or self.author is None:
            return "Anonymous"
        person = getattr(self.author, "person", None)
        return person.name if person is not None else self.author.get_full_name() or "A participant"


class IdeaVote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="accountability_votes"
    )
    session = models.ForeignKey(IdeaSession, on_delete=models.CASCADE, related_name="votes")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "voter"], name="ideavote_once"),
        ]
        indexes = [models.Index(fields=["session", "voter"])]

    def __str__(self) -> str:
        return f"Vote for idea {self.idea_id}"


class Commitment(Versioned):
    """What a leader commits to change, with a measure, a baseline, a target and a due date."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="commitments"
    )
    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="accountability_owned"
    )
    change = models.TextField(max_length=2000, help_text="What will change.")
    measure = models.CharField(max_length=300, help_text="The measure or KPI.")
    baseline = models.CharField(max_length=100)
    target = models.CharField(max_length=100)
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    done_on = models.DateField(null=True, blank=True)
    drop_reason = models.TextField(blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return f"Commitment {self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.DROPPED)

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Past its due date and neither done nor dropped."""
        return not self.finished and (today or timezone.localdate()) > self.due_on

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def on_time(self) -> bool | None:
        """Done by the due date (True), done late (False), or not done (None)."""
        if self.status != self.Status.DONE or self.done_on is None:
            return None
        return self.done_on <= self.due_on


class CommitmentUpdate(models.Model):
    """A status update with its evidence."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Commitment.Status.choices)
    note = models.TextField(max_length=4000)
    evidence = models.CharField(max_length=500, blank=True, help_text="A link or where to look.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Update of commitment {self.commitment_id}"


class CommitmentRevision(models.Model):
    """Each edit of a commitment's terms, with what they were before."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    terms = models.JSONField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "number"], name="commitmentrevision_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of commitment {self.commitment_id}"


# How long a mentor has to answer; until then the leader sees "waiting" whatever the answer
# was, and after it "not taken forward" for a decline and for no answer alike, so neither the
# reason nor the moment of a decline reaches the leader.
ANSWER_DAYS = 14


class Nomination(Versioned):
    """A leader puts their mentor forward for an opportunity, only with the mentor's consent."""

    class Kind(models.TextChoices):
        ROLE = "role", "A role"
        PROJECT = "project", "A project"
        EVENT = "event", "An event"

    class State(models.TextChoices):
        ASKED = "asked", "Asked"
        AGREED = "agreed", "Agreed"
        DECLINED = "declined", "Declined"
        CLOSED = "closed", "Outcome recorded"

    class Outcome(models.TextChoices):
        SUCCESSFUL = "successful", "Successful"
        NOT_SUCCESSFUL = "not_successful", "Not successful"
        WITHDRAWN = "withdrawn", "Withdrawn"

    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="nominations")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=4000)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ASKED)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    asked_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-asked_at", "-pk"]

    def __str__(self) -> str:
        return f"Nomination {self.pk}"

    def answer_by(self) -> dt.datetime:
        return self.asked_at + dt.timedelta(days=ANSWER_DAYS)

    def answerable(self, now: dt.datetime | None = None) -> bool:
        return self.state == self.State.ASKED and (now or timezone.now()) < self.answer_by()

    def leader_words(self, now: dt.datetime | None = None) -> str:
        """What the leader reads: never a reason, never when a decline happened."""
        if self.state == self.State.CLOSED:
            return f"Outcome: {self.get_outcome_display().lower()}"
        if self.state == self.State.AGREED:
            return "Agreed: your mentor is happy to be put forward"
        if (now or timezone.now()) < self.answer_by():
            return "Waiting for your mentor's answer"
        return "Not taken forward"
