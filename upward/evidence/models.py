"""Evidence: survey campaigns, who has responded (for reminders only), and the responses
themselves, which carry no link to the person who gave them.

A ``Response`` keeps only coarse segment attributes (side, organisation, cohort) and the
answers. It has a random primary key and no time of its own, so neither its order nor a
timestamp can be matched against ``Participation``, the separate record of who has responded.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from upward.core.versioning import Versioned
from upward.privacy.fields import EncryptedJSONField, EncryptedTextField

from . import instruments

INSTRUMENT_CHOICES = [(i.key, i.title) for i in instruments.LIBRARY.values()]


class Campaign(Versioned):
    class Stage(models.TextChoices):
        BASELINE = "baseline", "Baseline"
        PRE = "pre", "Before the programme"
        MID = "mid", "Mid-point"
        POST = "post", "After the programme"
        PULSE = "pulse", "Pulse"

    class Audience(models.TextChoices):
        PARTICIPANTS = "participants", "The programme's participants"
        WIDER = "wider", "Everyone in the programme's organisations (a baseline)"

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="campaigns"
    )
    title = models.CharField(max_length=200)
    instrument = models.CharField(
        max_length=40, help_text="The key of a library instrument or of the programme's own."
    )
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.PULSE)
    audience = models.CharField(
        max_length=12, choices=Audience.choices, default=Audience.PARTICIPANTS
    )
    side = models.CharField(
        max_length=8,
        blank=True,
        choices=[("leader", "Leaders"), ("mentor", "Mentors")],
        help_text="Only one side of the programme; empty for both.",
    )
    cohort = models.ForeignKey(
        "programmes.Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Only people of this organisation; empty for all the programme's organisations.",
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    reminder_every_days = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    last_reminded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="campaign_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def definition(self) -> instruments.Instrument:
        from .catalogue import definition_of

        return definition_of(self.instrument)


class Participation(models.Model):
    """Who has responded to a campaign, and nothing else: used for reminders and to stop a
    second response. It holds no time, so it cannot be lined up with the responses."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="participation_once")
        ]

    def __str__(self) -> str:
        return f"Responded to {self.campaign_id}"


class Response(models.Model):
    """One person's answers, with no link to the person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    side = models.CharField(max_length=8, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    cohort = models.CharField(max_length=200, blank=True)
    answers = EncryptedJSONField(default=dict)
    score = models.FloatField(null=True, blank=True)
    pair_token = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        help_text=(
            "Before and after surveys only: a keyed hash that matches one person's two answers "
            "for the paired change, and cannot be turned back into the person without the "
            "server's secret key."
        ),
    )

    class Meta:
        ordering = ["id"]  # random: the order says nothing about who answered when

    def __str__(self) -> str:
        return f"A response to {self.campaign_id}"

    @property
    def segment_attributes(self) -> dict[str, str]:
        return {"side": self.side, "organisation": self.organisation, "cohort": self.cohort}


class SafeguardingAlert(models.Model):
    """A comment that used a word of the safeguarding list, routed to the programme's
    wellbeing leads. It holds the comment and the survey, never who wrote it, and only the
    day it came in."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="alerts")
    comment = EncryptedJSONField(default=dict, help_text="The question and the comment.")
    terms = models.JSONField(default=list)
    received_on = models.DateField()

    class Meta:
        ordering = ["-received_on", "campaign_id"]

    def __str__(self) -> str:
        return f"Safeguarding alert on {self.campaign_id}"


class HistoricalScore(models.Model):
    """An aggregated result of an earlier engagement survey, imported to sit beside Upward's own
    pulse results. Shown only through the anonymity engine's rules, like everything else."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="historical_scores"
    )
    measure = models.CharField(max_length=120)
    period = models.CharField(max_length=60)
    period_end = models.DateField()
    dimension = models.CharField(max_length=40, blank=True, help_text="Empty for everyone.")
    value = models.CharField(max_length=200, blank=True)
    respondents = models.PositiveIntegerField()
    mean = models.FloatField()
    scale_max = models.PositiveSmallIntegerField(default=7)

    class Meta:
        ordering = ["measure", "period_end", "dimension", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "measure", "period", "dimension", "value"],
                name="historicalscore_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.period}"


class CustomInstrument(models.Model):
    """An instrument a programme's coordinator built (items as the builder's plain data), used in
    that programme's campaigns like the library's. It is never changed once saved: responses
    are scored against it."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="custom_instruments"
    )
    key = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    purpose = models.CharField(max_length=500, blank=True)
    items = models.JSONField(default=list, help_text="The items, as the builder checked them.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class ResultNote(Versioned):
    """A coordinator's note on a programme's results: a story or observation shown beside the
    data that should corroborate it (a chart or an instrument), or a lesson learned for the
    report. Its text may name people, so it is encrypted; every saved text is kept."""

    class Kind(models.TextChoices):
        STORY = "story", "Story or observation"
        LESSON = "lesson", "Lesson learned"

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="result_notes"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.STORY)
    anchor = models.CharField(
        max_length=60,
        blank=True,
        help_text="The chart or instrument it sits beside; empty for the programme as a whole.",
    )
    title = EncryptedTextField()
    body = EncryptedTextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Note {self.pk} on programme {self.programme_id}"


class ResultNoteRevision(models.Model):
    """One saved text of a result note, oldest first: its history."""

    note = models.ForeignKey(ResultNote, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = EncryptedTextField()
    body = EncryptedTextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["note", "number"], name="result_note_revision_once")
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of result note {self.note_id}"
