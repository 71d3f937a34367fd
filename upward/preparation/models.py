"""Preparation: training tracks and their modules, workshops with sign-up and attendance, the
mentoring agreement each pair writes and signs, and requirements a coordinator waived."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from upward.privacy.fields import EncryptedTextField
from upward.programmes.models import Programme

PROGRAMME_CADENCE = Programme.Cadence.choices


class Audience(models.TextChoices):
    MENTORS = "mentors", "Mentors"
    LEADERS = "leaders", "Leaders"
    EVERYONE = "everyone", "Everyone (joint)"


class PreparationSettings(models.Model):
    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="preparation_settings"
    )
    reminder_every_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="A person behind on training gets at most one reminder in this many days.",
    )

    def __str__(self) -> str:
        return f"Preparation settings of {self.programme_id}"


class Track(models.Model):
    """Training for one audience of a programme: a short course of modules."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="training_tracks"
    )
    audience = models.CharField(max_length=8, choices=Audience.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    required = models.BooleanField(
        default=True, help_text="Must be finished before a pair can become active."
    )
    order = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Module(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Formatted with Markdown; HTML is not allowed.")
    link_url = models.URLField(blank=True, max_length=500)
    link_label = models.CharField(max_length=200, blank=True)
    attachment = models.FileField(upload_to="training/", blank=True, max_length=300)
    attachment_name = models.CharField(max_length=200, blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Percentage of right answers needed to pass the knowledge check.",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                name="module_pass_mark_range",
                condition=models.Q(pass_mark__isnull=True)
                | models.Q(pass_mark__gte=1, pass_mark__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CheckQuestion(models.Model):
    """One question of a module's knowledge check: choices and the index of the right one."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    prompt = models.CharField(max_length=500)
    choices = models.JSONField(default=list)
    answer = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.prompt


class ModuleCompletion(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="completions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["module", "user"], name="completion_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} finished {self.module_id}"


class TrainingReminder(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["programme", "user", "sent_at"])]

    def __str__(self) -> str:
        return f"Reminder to {self.user_id}"


class Workshop(models.Model):
    """A scheduled session: training for one audience, a joint session, a cohort's kick-off, or
    one of the cohort events of the running programme (see ``upward.cohort``)."""

    class Kind(models.TextChoices):
        TRAINING = "training", "Training workshop"
        JOINT = "joint", "Joint session"
        KICKOFF = "kickoff", "Kick-off"
        COACHING = "coaching", "Group coaching"
        MIDPOINT = "midpoint", "Mid-point check-in"
        IDEAS = "ideas", "Idea generation session"
        CELEBRATION = "celebration", "Celebration"

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="workshops"
    )
    cohort = models.ForeignKey(
        "programmes.Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.TRAINING)
    audience = models.CharField(max_length=8, choices=Audience.choices, default=Audience.EVERYONE)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(
        default=90, validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    place = models.CharField(max_length=300, blank=True)
    video_url = models.URLField(blank=True, max_length=500)
    capacity = models.PositiveSmallIntegerField(
        default=20, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    # The calendar invitation's identity: the UID never changes, SEQUENCE rises with each
    # change people are sent.
    uid = models.CharField(max_length=80, unique=True, default="")
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.uid:
            self.uid = f"workshop-{uuid.uuid4()}@upward"
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class WorkshopSeat(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        WAITING = "waiting", "On the waiting list"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices)
    attended = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "user"], name="seat_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.workshop_id}"


class Agreement(models.Model):
    """One version of a pair's mentoring agreement. The highest number is the current one;
    older versions stay readable. A change after anyone signed makes a new version."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIDEO = "video", "Video call"
        MIXED = "mixed", "A mix of in person and video"

    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="agreements")
    number = models.PositiveIntegerField()
    # Checked and bumped by every edit and signature of the current version (409 if stale).
    revision = models.PositiveIntegerField(default=1)
    topics = EncryptedTextField()
    cadence = models.CharField(max_length=12, choices=PROGRAMME_CADENCE)
    meeting_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    meeting_format = models.CharField(max_length=10, choices=Format.choices, default=Format.MIXED)
    confidentiality = models.TextField()
    boundaries = EncryptedTextField(blank=True)
    leader_gains = EncryptedTextField(blank=True)
    mentor_gains = EncryptedTextField(blank=True)
    pause_and_end = models.TextField()
    first_review_on = models.DateField(null=True, blank=True)
    final_review_on = models.DateField(null=True, blank=True)
    leader_signed_name = models.CharField(max_length=200, blank=True)
    leader_signed_at = models.DateTimeField(null=True, blank=True)
    mentor_signed_name = models.CharField(max_length=200, blank=True)
    mentor_signed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["pair", "number"], name="agreement_version_once"),
        ]

    def __str__(self) -> str:
        return f"Agreement of pair {self.pair_id}, version {self.number}"

    @property
    def signed_by_both(self) -> bool:
        return self.leader_signed_at is not None and self.mentor_signed_at is not None

    @property
    def signed_by_anyone(self) -> bool:
        return self.leader_signed_at is not None or self.mentor_signed_at is not None


class Waiver(models.Model):
    """A requirement of activation a coordinator set aside for one pair, with the reason."""

    class Requirement(models.TextChoices):
        LEADER_TRAINING = "training:leader", "The leader's training"
        MENTOR_TRAINING = "training:mentor", "The mentor's training"
        LEADER_SIGNATURE = "signature:leader", "The leader's signature"
        MENTOR_SIGNATURE = "signature:mentor", "The mentor's signature"

    pair = models.ForeignKey("pairs.Pair", on_delete=models.CASCADE, related_name="waivers")
    requirement = models.CharField(max_length=20, choices=Requirement.choices)
    reason = EncryptedTextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["pair", "requirement"], name="waiver_once"),
        ]

    def __str__(self) -> str:
        return f"{self.requirement} waived for {self.pair_id}"
