"""Each person's choice per category of email, and the notices waiting for a digest (or for
the worker to send them at once)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from upward.privacy.fields import EncryptedTextField

from .catalogue import EVERY


class Every(models.TextChoices):
    EACH = "each", EVERY["each"]
    DIGEST = "digest", EVERY["digest"]
    NONE = "none", EVERY["none"]


class Preference(models.Model):
    """One person's choice for one category (``catalogue.CATEGORIES``). No row: the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_choices"
    )
    category = models.CharField(max_length=40)
    every = models.CharField(max_length=8, choices=Every.choices)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="one_choice_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.every} for {self.user_id}"


class Notice(models.Model):
    """An email a person is to get: in the next digest (``digest``), or at once by the worker.

    ``subject`` and ``body`` hold the email's words until it is sent (then the body is emptied:
    the words were delivered and need not be kept). The cohort space's notices hold no words at
    all: their line is written when sent, from the event, programme and pair."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=40)
    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    pair = models.ForeignKey(
        "pairs.Pair", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    digest = models.BooleanField(default=False)
    subject = models.CharField(max_length=300, blank=True)
    # Encrypted at rest: an email's words may be confidential (a reason given for an exit).
    body = EncryptedTextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "digest"])]

    def __str__(self) -> str:
        return f"{self.event} for {self.user_id}"
