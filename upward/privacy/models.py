"""Privacy records: the access log, sign-in sessions, erasures and retention runs.

Also puts the foundation's personal models (User, Person, RoleGrant) under audit: their
history tables live in this app, so a change to one of those models needs
``upward makemigrations privacy`` as well.
"""

from __future__ import annotations

from typing import Any

import simple_history
from django.conf import settings
from django.db import models
from django.utils import timezone

from upward.accounts.models import RoleGrant, User
from upward.directory.models import Person

from .audit import USER_EXCLUDED_FIELDS, AuditWhere
from .fields import EncryptedTextField

simple_history.register(
    User, app="upward.privacy", bases=[AuditWhere], excluded_fields=USER_EXCLUDED_FIELDS
)
simple_history.register(Person, app="upward.privacy", bases=[AuditWhere])
simple_history.register(RoleGrant, app="upward.privacy", bases=[AuditWhere])


class AccessKind(models.TextChoices):
    SPECIAL_CATEGORY = "special_category", "Special-category data"
    CONCERN = "concern", "Concern"
    PAIR_NOTE = "pair_note", "Pair note"
    REFLECTION = "reflection", "Private reflection"
    APPLICATION = "application", "Application answers"
    EXPORT = "export", "Subject access export"


class AppendOnlyError(Exception):
    """An attempt to change or delete an access log entry."""


class AccessLogQuerySet(models.QuerySet["AccessLogEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("The access log is append-only: entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The access log is append-only: entries cannot be deleted.")


class AccessLogEntry(models.Model):
    """One read of special-category data, a concern or a note by someone other than its owner.

    Append-only: the model refuses updates and deletes, and a database trigger refuses them too
    (see migration 0002). People are referred to by number, not by foreign key, so erasing a
    person removes the identity behind the number while the log itself stays intact.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, help_text="The user who read (a user id).")
    subject_person_id = models.BigIntegerField(
        db_index=True, help_text="Whose data was read (a directory person id)."
    )
    organisation_id = models.BigIntegerField(
        null=True, db_index=True, help_text="The subject's organisation when it was read."
    )
    programme_id = models.BigIntegerField(
        null=True, db_index=True, help_text="The programme the read happened in, if any."
    )
    kind = models.CharField(max_length=20, choices=AccessKind.choices)
    object_ref = models.CharField(max_length=100, help_text="What was read, e.g. concern:12.")
    route = models.CharField(max_length=200, help_text="The page, endpoint or command.")

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.object_ref}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The access log is append-only: entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The access log is append-only: entries cannot be deleted.")


class UserSession(models.Model):
    """A signed-in session, so every session of an account can be ended at once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"session of user {self.user_id} since {self.created_at:%Y-%m-%d %H:%M}"


class ErasureRecord(models.Model):
    """That a person was erased, by whom and why; it names nobody."""

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    person_ref = models.BigIntegerField(help_text="The erased (now anonymous) person's id.")
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    performed_at = models.DateTimeField(default=timezone.now)
    reason = EncryptedTextField(help_text="Why the person was erased (encrypted at rest).")
    summary = models.JSONField(default=dict, help_text="How many records each part removed.")

    class Meta:
        ordering = ["-performed_at"]

    def __str__(self) -> str:
        return f"erasure of person {self.person_ref} at {self.performed_at:%Y-%m-%d}"


class RetentionRun(models.Model):
    """A programme whose personal data was deleted after its retention period."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="retention_run"
    )
    ran_at = models.DateTimeField(default=timezone.now)
    summary = models.JSONField(default=dict, help_text="How many records each part removed.")

    def __str__(self) -> str:
        return f"retention for programme {self.programme_id} at {self.ran_at:%Y-%m-%d}"
