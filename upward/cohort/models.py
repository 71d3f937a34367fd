"""Cohort life: the cohort space (posts, replies, the coordinator's announcements and reports),
each pair's private message thread, people's choice of notification emails, and the private
answers to a mid-point check-in.

Cohort events themselves are the preparation app's workshops, of the cohort kinds."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from upward.privacy.fields import EncryptedJSONField, EncryptedTextField


class Post(models.Model):
    """A post of a programme's cohort space, or a reply to one (``parent`` set)."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="cohort_posts"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # Empty once the author is erased: the post stays as "removed" so replies keep their place.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = EncryptedTextField(blank=True)
    announcement = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["programme", "parent", "created_at"])]

    def __str__(self) -> str:
        return f"Post {self.pk} of programme {self.programme_id}"

    @property
    def removed(self) -> bool:
        return self.author_id is None


class Report(models.Model):
    """A participant asks the coordinator to look at a post, with their reason."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["post", "by"], name="cohort_report_once")]

    def __str__(self) -> str:
        return f"Report of post {self.post_id}"


class PairMessage(models.Model):
    """One message of a pair's private thread: the two people's alone."""

    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["pair", "created_at"])]

    def __str__(self) -> str:
        return f"Message {self.pk} of pair {self.pair_id}"


class MidpointParticipation(models.Model):
    """Who has answered a mid-point check-in, and nothing else: it holds no time and no answer,
    so it cannot be lined up with the answers."""

    workshop = models.ForeignKey(
        "preparation.Workshop", on_delete=models.CASCADE, related_name="midpoint_participations"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop", "user"], name="midpoint_answer_once")
        ]

    def __str__(self) -> str:
        return f"Answered {self.workshop_id}"


class MidpointResponse(models.Model):
    """One person's answers to a mid-point check-in, with no link to the person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workshop = models.ForeignKey(
        "preparation.Workshop", on_delete=models.CASCADE, related_name="midpoint_responses"
    )
    answers = EncryptedJSONField(default=dict)

    class Meta:
        ordering = ["id"]  # random: the order says nothing about who answered when

    def __str__(self) -> str:
        return f"An answer to {self.workshop_id}"
