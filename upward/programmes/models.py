"""Mentoring programmes: who runs them, which organisations take part, and their phases."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models


class Programme(models.Model):
    class Kind(models.TextChoices):
        REVERSE = "reverse", "Reverse mentoring"
        RECIPROCAL = "reciprocal", "Reciprocal mentoring"
        TRADITIONAL = "traditional", "Traditional mentoring"

    class Phase(models.TextChoices):
        READINESS = "readiness", "Readiness"
        SOURCING = "sourcing", "Sourcing"
        MATCHING = "matching", "Matching"
        PREPARATION = "preparation", "Preparation"
        RUNNING = "running", "Running"
        MIDPOINT = "midpoint", "Mid-point"
        CLOSE = "close", "Close"
        CELEBRATION = "celebration", "Celebration"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.REVERSE)
    organisations = models.ManyToManyField(
        "directory.Organisation", related_name="programmes"
    )
    phase = models.CharField(max_length=12, choices=Phase.choices, default=Phase.READINESS)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    anonymity_threshold = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(3)],
        help_text="Survey results are shown only for groups of at least this many people.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="programme_anonymity_threshold_at_least_3",
                condition=models.Q(anonymity_threshold__gte=3),
            ),
        ]

    def __str__(self) -> str:
        return self.name
