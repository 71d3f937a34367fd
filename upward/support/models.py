"""Support: confidential concerns handled to a deadline, exit reasons for the coordinator,
wellbeing resources and the mentors' pulse.

A concern is seen by three people at most: whoever raised it, whoever handles it, and the
wellbeing lead it was escalated to when it went overdue. Its texts are encrypted at rest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from upward.core.versioning import Versioned
from upward.privacy.fields import EncryptedTextField


class Concern(Versioned):
    class About(models.TextChoices):
        RELATIONSHIP = "relationship", "The mentoring relationship"
        CONVERSATION = "conversation", "Something said in a conversation"
        WELLBEING = "wellbeing", "My wellbeing"
        SAFEGUARDING = "safeguarding", "A safeguarding matter"

    class RouteTo(models.TextChoices):
        COORDINATOR = "coordinator", "The programme's coordinator"
        WELLBEING_LEAD = "wellbeing_lead", "The wellbeing lead"

    class State(models.TextChoices):
        NEW = "new", "New"
        TRIAGED = "triaged", "Triaged"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="concerns"
    )
    pair = models.ForeignKey(
        "pairs.Pair", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="concerns_raised"
    )
    raiser_person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="concerns_raised"
    )
    about = models.CharField(max_length=20, choices=About.choices)
    route_to = models.CharField(max_length=20, choices=RouteTo.choices)
    anonymous = models.BooleanField(
        default=False, help_text="The handler is not told who raised it."
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="concerns_handled",
    )
    # Why the raiser's choice was not followed (a handler in a reporting line was skipped).
    routing_note = models.CharField(max_length=300, blank=True)
    body = EncryptedTextField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.NEW)
    due_at = models.DateTimeField(help_text="When the handler should have answered by.")
    answered_at = models.DateTimeField(null=True, blank=True)
    overdue_since = models.DateTimeField(null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concerns_escalated",
    )
    outcome = EncryptedTextField(blank=True)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "due_at"])]

    def __str__(self) -> str:
        return f"Concern {self.pk}"

    @property
    def open(self) -> bool:
        return self.state != self.State.CLOSED


class ConcernMessage(models.Model):
    """One message of the private thread between the raiser and the handler."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_raiser = models.BooleanField()
    body = EncryptedTextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Message {self.pk} on concern {self.concern_id}"


class ExitReason(models.Model):
    """The optional reason one person gave for pausing or ending: read by coordinators only.
    Nothing here is held against either person; the other person is never shown it."""

    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=10)
    reason = EncryptedTextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} of pair {self.pair_id}"


class Resource(Versioned):
    """A wellbeing resource (helpline, counsellor, employee assistance, guide) for one
    programme's participants, or for everyone of one organisation in any programme."""

    class Kind(models.TextChoices):
        HELPLINE = "helpline", "Helpline"
        COUNSELLOR = "counsellor", "Counsellor"
        EAP = "eap", "Employee assistance programme"
        GUIDE = "guide", "Guide"

    programme = models.ForeignKey(
        "programmes.Programme",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="wellbeing_resources",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="wellbeing_resources",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)
    contact = models.CharField(max_length=200, blank=True, help_text="A phone number or email.")
    url = models.URLField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                name="resource_one_scope",
                condition=(
                    models.Q(programme__isnull=False, organisation__isnull=True)
                    | models.Q(programme__isnull=True, organisation__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Pulse(models.Model):
    """A mentor's optional short pulse after meeting: energy and strain, 1 (low) to 5 (high).
    Read by the mentor alone; staff see only a flag when strain stays high."""

    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pulses"
    )
    on = models.DateField(help_text="The day of the meeting.")
    energy = models.PositiveSmallIntegerField()
    strain = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["pair", "mentor", "on"], name="pulse_once_a_day"),
            models.CheckConstraint(
                name="pulse_in_range",
                condition=models.Q(energy__gte=1, energy__lte=5, strain__gte=1, strain__lte=5),
            ),
        ]

    def __str__(self) -> str:
        return f"Pulse {self.pk}"


class StrainFlag(models.Model):
    """Strain stayed high over the last answers of a mentor in a pair. Carries no answer:
    coordinators and the wellbeing lead learn only that it is time to check in."""

    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    raised_at = models.DateTimeField()
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]

    def __str__(self) -> str:
        return f"Strain flag {self.pk}"
