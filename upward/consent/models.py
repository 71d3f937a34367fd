"""The consent ledger: what each person agreed to, in which words, when and how.

A consent is never edited or deleted when withdrawn: it gains a withdrawal time, so the ledger
shows the whole history. At most one consent per person, purpose and scope is active at a time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from . import purposes


class Channel(models.TextChoices):
    WEB = "web", "Web form"
    API = "api", "API"
    PAPER = "paper", "Paper form"


class Consent(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    person = models.ForeignKey(
        "directory.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consents",
        help_text="The person's directory record when they consented, if they have one.",
    )
    purpose = models.CharField(max_length=80, db_index=True)
    scope = models.CharField(
        max_length=80,
        blank=True,
        default="",
        help_text="What the consent is limited to, e.g. 'programme:12'; empty for all of Upward.",
    )
    scope_label = models.CharField(max_length=200, blank=True, default="")
    wording_version = models.CharField(max_length=20)
    wording = models.TextField(help_text="The exact words the person agreed to.")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    given_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who recorded a paper consent on the person's behalf.",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_channel = models.CharField(max_length=8, choices=Channel.choices, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose", "scope"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_purpose_and_scope",
            ),
        ]
        indexes = [models.Index(fields=["scope", "purpose"])]

    def __str__(self) -> str:
        state = "withdrawn" if self.withdrawn_at else "active"
        return f"{self.user} — {self.purpose} ({self.scope or 'all'}) {state}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def purpose_label(self) -> str:
        return purposes.label_of(self.purpose)
