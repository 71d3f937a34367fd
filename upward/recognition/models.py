"""Recognition: completion rules, grants, certificates anyone can verify, and success stories
published only with both people's consent to the exact text."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models

from upward.core.versioning import Versioned
from upward.privacy.audit import audit_history
from upward.privacy.fields import EncryptedTextField

MAX_MEETINGS = 52


class CompletionRules(Versioned):
    """What a person must have done for the programme to count as completed by them."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="completion_rules"
    )
    agreement_signed = models.BooleanField(default=True)
    training_done = models.BooleanField(default=True)
    min_meetings = models.PositiveSmallIntegerField(
        default=0, help_text="At least this many meetings held (0: no such rule)."
    )
    final_checkin = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = audit_history()

    class Meta:
        verbose_name_plural = "completion rules"

    def __str__(self) -> str:
        return f"Completion rules of programme {self.programme_id}"


class CompletionGrant(models.Model):
    """A coordinator counted someone as having completed although the rules were not met."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="completion_grants"
    )
    application = models.ForeignKey(
        "programmes.Application", on_delete=models.CASCADE, related_name="+"
    )
    reason = EncryptedTextField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField()
    history = audit_history()

    class Meta:
        ordering = ["granted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "application"], name="grant_once"),
        ]

    def __str__(self) -> str:
        return f"Completion granted to application {self.application_id}"


class Certificate(models.Model):
    """A certificate of completion. Only the hash of its code is searched; the code itself is
    kept encrypted so that the holder's PDF can show it again."""

    class Role(models.TextChoices):
        MENTOR = "mentor", "Mentor"
        LEADER = "leader", "Leader"
        BOTH = "both", "Mentor and leader"

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="certificates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    application = models.ForeignKey(
        "programmes.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    holder_name = models.CharField(max_length=200)
    role = models.CharField(max_length=8, choices=Role.choices)
    starts_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField()
    code_hash = models.CharField(max_length=64, unique=True)
    code = EncryptedTextField()
    granted = models.BooleanField(default=False, help_text="Issued on a coordinator's grant.")
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = EncryptedTextField(blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = audit_history(excluded_fields=["code"])

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "application"],
                condition=models.Q(application__isnull=False),
                name="certificate_once_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Certificate {self.pk}"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def grouped_code(self) -> str:
        return group_code(self.code)


def group_code(code: str) -> str:
    """ABCD-EFGH-…: easier to read out and type."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class Story(Versioned):
    """A success story of one pair. Published only while both people consent to the exact
    text: each consent stores the hash of the text it was given to, so any edit clears it."""

    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="stories")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    body = EncryptedTextField()
    anonymised = models.BooleanField(default=False)
    leader_consent_hash = models.CharField(max_length=64, blank=True)
    leader_consent_at = models.DateTimeField(null=True, blank=True)
    mentor_consent_hash = models.CharField(max_length=64, blank=True)
    mentor_consent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return f"Story {self.pk}"

    @property
    def text_hash(self) -> str:
        return story_hash(self.title, self.body, self.anonymised)

    @property
    def published(self) -> bool:
        digest = self.text_hash
        return self.leader_consent_hash == digest and self.mentor_consent_hash == digest

    def consent_of(self, side: str) -> bool:
        return bool(getattr(self, f"{side}_consent_hash")) and (
            getattr(self, f"{side}_consent_hash") == self.text_hash
        )


def story_hash(title: str, body: str, anonymised: bool) -> str:
    text = f"{title}\x00{body}\x00{'anonymised' if anonymised else 'named'}"
    return hashlib.sha256(text.encode()).hexdigest()


class Closure(models.Model):
    """A programme's close-out: done once, with what it did."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="closure"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField()
    retention_on = models.DateField(help_text="When the programme's personal data is deleted.")
    summary = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Close-out of programme {self.programme_id}"
