"""Matching in the product: runs of the engine, the pairs they propose, the coordinator's locks
and exclusions, and the proposals sent to people once a run is published.

A decline is private by design: a proposal records *that* it will not go ahead, never which of
the two people declined, and no reason is asked for or kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from upward.core.versioning import Versioned


class MatchingRun(Versioned):
    """One run of the matching engine over a programme's (or a cohort's) accepted applicants."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    class Purpose(models.TextChoices):
        FIRST = "first", "Matching run"
        RERUN = "rerun", "Re-run keeping locks"
        WEIGHTS = "weights", "Preview of adjusted weights"
        REMATCH = "rematch", "Rematch after declines"

    class Stage(models.TextChoices):
        WAITING = "", "Waiting for a worker"
        LOADING = "loading", "Reading the applications"
        CANDIDATES = "candidates", "Building candidates"
        SOLVING = "solving", "Solving"
        EXPLAINING = "explaining", "Explaining"
        SAVING = "saving", "Saving the results"
        FINISHED = "finished", "Finished"

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="matching_runs"
    )
    cohort = models.ForeignKey(
        "programmes.Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    number = models.PositiveIntegerField(help_text="Run 1, 2, 3… within the programme.")
    purpose = models.CharField(max_length=8, choices=Purpose.choices, default=Purpose.FIRST)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The run this one was started from (re-run, weights preview, rematch).",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=10, choices=Stage.choices, default="", blank=True)
    progress = models.FloatField(default=0.0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)
    # Optimistic locking (upward.core.versioning): every coordinator edit checks and bumps it,
    # so two coordinators reviewing the same run cannot overwrite each other's changes. Declared
    # here as before, so the field and its migration stay as they are.
    version = models.PositiveIntegerField(default=1)
    policy = models.JSONField(default=dict, help_text="The rules and weights this run used.")
    policy_words = models.JSONField(default=list, blank=True)
    inputs_fingerprint = models.CharField(max_length=64, blank=True)
    leaders_count = models.PositiveIntegerField(default=0)
    mentors_count = models.PositiveIntegerField(default=0)
    mentor_capacity = models.JSONField(
        default=dict, blank=True, help_text="{mentor application id: places free in this run}"
    )
    locked_pairs = models.JSONField(default=list, blank=True)
    excluded_pairs = models.JSONField(default=list, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    timings = models.JSONField(default=dict, blank=True)
    # [{"text": "... {0} ... {1}", "people": [application ids]}]: names are filled in when
    # shown, never stored.
    notes = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="matchingrun_number"),
        ]

    def __str__(self) -> str:
        return f"Run {self.number} of {self.programme}"

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def editable(self) -> bool:
        """Pairs can still be locked, excluded and changed (finished and not yet published)."""
        return self.status == self.Status.DONE and self.published_at is None

    @property
    def percent(self) -> int:
        return max(0, min(100, round(self.progress * 100)))


class ProposedPair(models.Model):
    """A pair a run proposes, with its score and the engine's explanation, criterion by
    criterion."""

    class Source(models.TextChoices):
        ENGINE = "engine", "Proposed by the matching"
        MANUAL = "manual", "Chosen by a coordinator"

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="pairs")
    leader = models.ForeignKey("programmes.Application", on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey("programmes.Application", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    explanation = models.JSONField(default=list)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.ENGINE)

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "leader"], name="proposedpair_one_per_leader"),
        ]
        indexes = [models.Index(fields=["run", "mentor"])]

    def __str__(self) -> str:
        return f"Pair {self.leader_id}-{self.mentor_id} in run {self.run_id}"


class UnmatchedPerson(models.Model):
    """Someone a run left without a partner, and why, in plain words."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="unmatched")
    application = models.ForeignKey(
        "programmes.Application", on_delete=models.CASCADE, related_name="+"
    )
    side = models.CharField(max_length=8)
    code = models.CharField(max_length=24)
    reason = models.TextField()

    class Meta:
        ordering = ["side", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "application"], name="unmatched_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"Unmatched {self.application_id} in run {self.run_id}"


class PairLock(models.Model):
    """A pair the coordinator fixed: every later run of the programme keeps it."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="pair_locks"
    )
    leader = models.ForeignKey("programmes.Application", on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey("programmes.Application", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "leader"], name="pairlock_one_per_leader"),
        ]

    def __str__(self) -> str:
        return f"Lock {self.leader_id}-{self.mentor_id}"


class PairExclusion(models.Model):
    """A pair that is never proposed again in the programme."""

    class Reason(models.TextChoices):
        COORDINATOR = "coordinator", "Set aside by a coordinator"
        DECLINED = "declined", "The proposed match did not go ahead"

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="pair_exclusions"
    )
    leader = models.ForeignKey("programmes.Application", on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey("programmes.Application", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    # Empty for declines: nobody is recorded against a decline.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "leader", "mentor"], name="pairexclusion_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Exclusion {self.leader_id}-{self.mentor_id}"


class Proposal(models.Model):
    """A published pair: both people are introduced and each accepts or declines.

    Each side's acceptance is kept (``leader_accepted_at`` / ``mentor_accepted_at``) and shown
    only to that side. A decline closes the proposal for both and records nothing about who
    declined or why.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for replies"
        CONFIRMED = "confirmed", "Both accepted"
        DECLINED = "declined", "Will not go ahead"

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="match_proposals"
    )
    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    leader = models.ForeignKey("programmes.Application", on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey("programmes.Application", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    introduction_for_leader = models.JSONField(default=list)
    introduction_for_mentor = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    leader_accepted_at = models.DateTimeField(null=True, blank=True)
    mentor_accepted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the coordinator last reminded whoever has not answered (at most once a period).
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["leader"],
                condition=Q(status__in=["pending", "confirmed"]),
                name="proposal_one_live_per_leader",
            ),
        ]
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return f"Proposal {self.pk} in {self.programme_id}"

    @property
    def live(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.CONFIRMED)


class RunChange(models.Model):
    """What a coordinator changed in a run (or the programme's matching), for the record."""

    class Action(models.TextChoices):
        STARTED = "started", "Run started"
        CANCELLED = "cancelled", "Run cancelled"
        LOCKED = "locked", "Pair locked"
        UNLOCKED = "unlocked", "Pair unlocked"
        EXCLUDED = "excluded", "Pair excluded"
        INCLUDED = "included", "Exclusion removed"
        CHANGED = "changed", "Partner changed"
        PUBLISHED = "published", "Published"
        DECLINED = "declined", "A proposal will not go ahead"
        REMINDED = "reminded", "Reminder sent"

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="matching_changes"
    )
    run = models.ForeignKey(
        MatchingRun, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    # Names are never written into the summary: they come from the applications when shown,
    # so an erased person disappears from the record too.
    summary = models.CharField(max_length=300)
    leader = models.ForeignKey(
        "programmes.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mentor = models.ForeignKey(
        "programmes.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.summary
