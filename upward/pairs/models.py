"""The pair: the relationship two people start when both accept a proposed match.

Preparation, meetings, goals, concerns and certificates hang on it. Its life is
preparing → active → (paused) → completed, or ended at any point without fault.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from upward.privacy.fields import EncryptedTextField


class Pair(models.Model):
    class State(models.TextChoices):
        PREPARING = "preparing", "Preparing"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        ENDED = "ended", "Ended"

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="pairs"
    )
    cohort = models.ForeignKey(
        "programmes.Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="pairs"
    )
    proposal = models.OneToOneField(
        "matches.Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="pair"
    )
    leader = models.ForeignKey("programmes.Application", on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey("programmes.Application", on_delete=models.CASCADE, related_name="+")
    # In a reciprocal programme both people are mentor and mentee; pages and the agreement
    # say so instead of "leader" and "mentor".
    reciprocal = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREPARING)
    since = models.DateTimeField(help_text="When both people accepted.")
    state_since = models.DateTimeField()
    # Optimistic locking: every state change checks and bumps it (409 on a stale write).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["since", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "leader", "mentor"], name="pair_unique_people"
            ),
        ]
        indexes = [models.Index(fields=["programme", "state"])]

    def __str__(self) -> str:
        return f"Pair {self.pk} of programme {self.programme_id}"

    @property
    def live(self) -> bool:
        return self.state in (self.State.PREPARING, self.State.ACTIVE, self.State.PAUSED)

    def side_of(self, user: object) -> str | None:
        """'leader' or 'mentor' for one of the two people, else None."""
        uid = getattr(user, "pk", None)
        if uid is None:
            return None
        if self.leader.user_id == uid:
            return "leader"
        if self.mentor.user_id == uid:
            return "mentor"
        return None

    def role_words(self, side: str) -> str:
        if self.reciprocal:
            return "mentor and mentee"
        return "leader (mentee)" if side == "leader" else "mentor"


class PairEvent(models.Model):
    """The pair's history: how it formed, every change of state, every waived requirement."""

    class Action(models.TextChoices):
        CREATED = "created", "Both accepted: the pair was formed"
        ACTIVATED = "activated", "Became active"
        PAUSED = "paused", "Paused"
        RESUMED = "resumed", "Resumed"
        COMPLETED = "completed", "Completed"
        ENDED = "ended", "Ended"
        WAIVED = "waived", "A requirement was waived"

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.pair_id})"
