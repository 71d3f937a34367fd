"""Mentoring programmes and how they fill: readiness, objectives, cohorts, invitations,
application forms, eligibility, applications and the identity data shared with consent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from upward.core.versioning import Versioned
from upward.privacy.fields import EncryptedJSONField, EncryptedTextField


class Side(models.TextChoices):
    LEADER = "leader", "Leader (mentee)"
    MENTOR = "mentor", "Mentor"


class Programme(Versioned):
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

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", "Every week"
        FORTNIGHTLY = "fortnightly", "Every two weeks"
        MONTHLY = "monthly", "Every month"
        SIX_WEEKLY = "six_weekly", "Every six weeks"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.REVERSE)
    organisations = models.ManyToManyField("directory.Organisation", related_name="programmes")
    phase = models.CharField(max_length=12, choices=Phase.choices, default=Phase.READINESS)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    anonymity_threshold = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(3)],
        help_text="Survey results are shown only for groups of at least this many people.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    description = models.TextField(
        blank=True, help_text="What the programme is for, in a few sentences applicants will read."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    meeting_cadence = models.CharField(
        max_length=12, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    meeting_minutes = models.PositiveSmallIntegerField(
        default=60,
        validators=[MinValueValidator(15), MaxValueValidator(240)],
        help_text="How long each meeting is expected to last, in minutes.",
    )
    hours_per_month = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
        help_text="The time each participant is asked to give a month, including training.",
    )
    matching_policy = models.JSONField(default=dict, blank=True)
    blind_proposals = models.BooleanField(
        default=False,
        help_text=(
            "A proposal shows each person the other's explanation, topics and role level, but "
            "not their name or contact details until both accept."
        ),
    )
    identity_dimensions = models.JSONField(
        default=list,
        blank=True,
        help_text="Which identity questions applicants are offered (always optional).",
    )
    open_call_leaders = models.BooleanField(
        default=False, help_text="Anyone eligible in the organisations may apply as a leader."
    )
    open_call_mentors = models.BooleanField(
        default=False, help_text="Anyone eligible in the organisations may apply as a mentor."
    )
    applications_opened_at = models.DateTimeField(null=True, blank=True)
    applications_closed_at = models.DateTimeField(null=True, blank=True)
    applications_deadline = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Applicants can apply and change their answers until this time.",
    )
    readiness_overridden_at = models.DateTimeField(null=True, blank=True)
    readiness_overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    readiness_override_reason = models.TextField(blank=True)

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

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", args=[self.slug])

    @property
    def applications_open(self) -> bool:
        """Applications are open: opened, not closed, and the deadline has not passed."""
        if self.applications_opened_at is None or self.applications_closed_at is not None:
            return False
        return self.applications_deadline is None or timezone.now() < self.applications_deadline

    def open_call_for(self, side: str) -> bool:
        return self.open_call_leaders if side == Side.LEADER else self.open_call_mentors

    @property
    def scope(self) -> str:
        """The consent scope for data shared for this programme."""
        return f"programme:{self.pk}"


class Challenge(models.TextChoices):
    INCLUSIVE_LEADERSHIP = "inclusive_leadership", "Foster a more inclusive leadership style"
    CROSS_GENERATIONAL = "cross_generational", "Enhance cross-generational collaboration"
    HIERARCHY = "hierarchy", "Dismantle hierarchical barriers"
    BELONGING = "belonging", "Build a culture of belonging"
    TRUST = "trust", "Build trust in leaders"
    LIVED_EXPERIENCE = (
        "lived_experience",
        "Understand the lived experience of under-represented colleagues",
    )
    PSYCHOLOGICAL_SAFETY = "psychological_safety", "Strengthen psychological safety"
    TALENT = "talent", "Retain and develop diverse talent"
    DIGITAL = "digital", "Learn new technology and ways of working"
    OTHER = "other", "Another challenge"


class Objective(models.Model):
    """A specific challenge the programme is designed to solve."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="objectives")
    challenge = models.CharField(max_length=24, choices=Challenge.choices)
    detail = models.TextField(
        blank=True, help_text="What this means here, and how you will know it has changed."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "challenge"],
                condition=~Q(challenge="other"),
                name="objective_unique_challenge",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if self.challenge == Challenge.OTHER:
            return self.detail.split("\n", 1)[0][:120] or "Another challenge"
        return str(self.get_challenge_display())


class PhaseWindow(models.Model):
    """When a phase of the programme is planned to start and end."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phase_windows")
    phase = models.CharField(max_length=12, choices=Programme.Phase.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "phase"], name="phasewindow_unique"),
            models.CheckConstraint(
                name="phasewindow_ends_after_start", condition=Q(ends_on__gte=models.F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()}: {self.starts_on} to {self.ends_on}"


class ReadinessItem(Versioned):
    class Key(models.TextChoices):
        DEIB_PLAN = "deib_plan", "DEIB plan in place"
        LEADERSHIP = "leadership", "Leadership briefed and committed"
        TIME = "time", "Time allowance agreed"
        SAFETY_BASELINE = "safety_baseline", "Psychological-safety baseline measured"
        SUPPORT = "support", "Support resources in place"
        COORDINATOR = "coordinator", "Independent coordinator named"
        CUSTOM = "custom", "Another item"

    class Status(models.TextChoices):
        TODO = "todo", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="readiness_items"
    )
    key = models.CharField(max_length=16, choices=Key.choices, default=Key.CUSTOM)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.TODO)
    owner = models.CharField(
        max_length=200, blank=True, help_text="Who is responsible, e.g. 'Priya Shah, Head of DEI'."
    )
    evidence = models.TextField(
        blank=True, help_text="What shows this is in place: a document, a decision, a date."
    )
    due_on = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "key"],
                condition=~Q(key="custom"),
                name="readinessitem_unique_standard_key",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class StakeholderInterview(Versioned):
    """A needs-assessment conversation: who was asked, and the problems they named."""

    class Theme(models.TextChoices):
        VOICE = "voice", "Voices not heard by leaders"
        PROGRESSION = "progression", "Unequal progression"
        RETENTION = "retention", "Losing diverse talent"
        GENERATIONS = "generations", "Gaps between generations"
        HIERARCHY = "hierarchy", "Hierarchy blocks ideas"
        TRUST = "trust", "Low trust in leadership"
        SAFETY = "safety", "People don't feel safe to speak up"
        BELONGING = "belonging", "Weak sense of belonging"
        DIGITAL = "digital", "Digital and new ways of working"
        WELLBEING = "wellbeing", "Wellbeing and burnout"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="interviews")
    interviewee = models.CharField(max_length=200)
    role = models.CharField(max_length=200, help_text="Their role, e.g. 'Chief People Officer'.")
    organisation = models.ForeignKey(
        "directory.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    held_on = models.DateField()
    problems = EncryptedTextField(help_text="The problems they named, in their words.")
    themes = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.interviewee} ({self.role}) on {self.held_on}"

    @property
    def theme_labels(self) -> list[str]:
        labels = dict(self.Theme.choices)
        return [str(labels.get(t, t)) for t in self.themes]


class Cohort(Versioned):
    """People in a programme who start together and meet together."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=120)
    starts_on = models.DateField(null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The most pairs this cohort can take. Leave empty for no limit.",
    )
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="cohort_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """One entry of the programme's taxonomy of conversation topics."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="topic_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ApplicationForm(Versioned):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="forms")
    side = models.CharField(max_length=8, choices=Side.choices)
    intro = models.TextField(blank=True, help_text="Shown at the top of the form.")
    customised = models.BooleanField(
        default=False, help_text="Changed by a coordinator, so not rebuilt from the objectives."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "side"], name="applicationform_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} — {self.get_side_display()} form"


class Question(Versioned):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", "Short text"
        LONG_TEXT = "long_text", "Long text"
        SINGLE_CHOICE = "single_choice", "Single choice"
        MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
        TOPICS = "topics", "Topic picker"
        SCALE = "scale", "Scale"
        AVAILABILITY = "availability", "Availability grid"
        ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"

    class Use(models.TextChoices):
        NONE = "", "Not used for matching"
        TOPICS = "topics", "Topics sought (leader) or offered (mentor)"
        TOPICS_AVOID = "topics_avoid", "Topics to keep out of the conversations"
        TEXT = "text", "Free text compared for similarity"
        AVAILABILITY = "availability", "Availability"
        LANGUAGES = "languages", "Languages"
        CULTURE_HISTORY = "culture_history", "Culture-change history"
        CAPACITY = "capacity", "How many people a mentor can take"
        PREFERENCE = "preference", "Preference (e.g. meeting format)"
        TOPICS_BACK = "topics_back", "Topics offered (leader) or sought (mentor): reciprocal"

    form = models.ForeignKey(ApplicationForm, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    label = models.CharField(max_length=300)
    help_text = models.CharField(max_length=500, blank=True)
    required = models.BooleanField(default=False)
    choices = models.JSONField(default=list, blank=True)
    min_value = models.SmallIntegerField(default=1)
    max_value = models.SmallIntegerField(default=5)
    min_label = models.CharField(max_length=60, blank=True)
    max_label = models.CharField(max_length=60, blank=True)
    max_choices = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The most options a person may pick (empty: no limit)."
    )
    use = models.CharField(max_length=16, choices=Use.choices, blank=True, default="")
    sensitive = models.BooleanField(
        default=False,
        help_text="Hidden from coordinators unless they need it; each look is logged.",
    )

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"


class EligibilityRule(Versioned):
    """Who may apply on one side of a programme."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="eligibility_rules"
    )
    side = models.CharField(max_length=8, choices=Side.choices)
    grade_min = models.PositiveSmallIntegerField(null=True, blank=True)
    grade_max = models.PositiveSmallIntegerField(null=True, blank=True)
    min_tenure_months = models.PositiveSmallIntegerField(
        default=0, help_text="How long someone must have been in the organisation, in months."
    )
    organisations = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="+",
        help_text="Only people of these organisations. Empty: all the programme's organisations.",
    )
    respect_mentor_load = models.BooleanField(
        default=True,
        help_text=(
            "Turn away mentors who already hold as many active places as their organisation allows."
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "side"], name="eligibilityrule_unique"),
            models.CheckConstraint(
                name="eligibilityrule_grade_range",
                condition=Q(grade_min__isnull=True)
                | Q(grade_max__isnull=True)
                | Q(grade_min__lte=models.F("grade_max")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} — {self.get_side_display()} eligibility"


class InvitationWave(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="waves")
    number = models.PositiveSmallIntegerField()
    side = models.CharField(max_length=8, choices=Side.choices)
    criteria = models.JSONField(default=dict, help_text="How the people were picked.")
    message = models.TextField(blank=True, help_text="A personal note added to the email.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="wave_unique_number"),
        ]

    def __str__(self) -> str:
        return f"Wave {self.number} ({self.get_side_display()})"


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENT = "sent", "Sent"
        OPENED = "opened", "Opened"
        APPLIED = "applied", "Applied"
        DECLINED = "declined", "Declined"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    wave = models.ForeignKey(InvitationWave, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey("directory.Person", on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=8, choices=Side.choices)
    email = models.EmailField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Part of the signed link; changing it makes earlier links stop working.
    nonce = models.CharField(max_length=32)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["wave__number", "-person__grade_level", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "person"], name="invitation_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.person} to {self.programme}"


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        WAITLISTED = "waitlisted", "On the waiting list"
        DECLINED = "declined", "Not selected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="applications")
    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="applications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    side = models.CharField(max_length=8, choices=Side.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    answers = EncryptedJSONField(default=dict)
    eligible = models.BooleanField(default=True)
    eligibility_reasons = models.JSONField(default=list, blank=True)
    eligibility_override_reason = models.TextField(blank=True)
    eligibility_overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    eligibility_overridden_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "person"], name="application_once_per_person"
            ),
        ]
        indexes = [models.Index(fields=["programme", "side", "status"])]

    def __str__(self) -> str:
        return f"{self.person.name} → {self.programme} ({self.get_side_display()})"

    @property
    def may_take_part(self) -> bool:
        """Eligible by the rules, or let in by a coordinator with a recorded reason."""
        return self.eligible or bool(self.eligibility_override_reason)


class IdentityDisclosure(models.Model):
    """One identity answer an applicant chose to share, kept only while they consent."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="identity_disclosures"
    )
    dimension = models.CharField(max_length=32)
    value = EncryptedTextField()
    consent = models.ForeignKey(
        "consent.Consent", on_delete=models.CASCADE, related_name="identity_disclosures"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dimension"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "dimension"], name="identitydisclosure_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension} for application {self.application_id}"


class WorkingStyle(models.Model):
    """An applicant's answers to the ten-item working-style questionnaire (TIPI).

    Private to the person: only they see their trait scores; matching uses them only while
    the consent they gave stays active, and withdrawing it deletes the answers.
    """

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="working_style"
    )
    answers = EncryptedJSONField(help_text="The ten answers, 1 to 7, in the published order.")
    consent = models.ForeignKey(
        "consent.Consent", on_delete=models.CASCADE, related_name="working_styles"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"working style for application {self.application_id}"


class ProgrammeLog(models.Model):
    """Decisions worth a record: overrides with their reasons, phase changes, screening."""

    class Action(models.TextChoices):
        CREATED = "created", "Programme set up"
        READINESS_OVERRIDE = "readiness_override", "Readiness overridden"
        APPLICATIONS_OPENED = "applications_opened", "Applications opened"
        APPLICATIONS_CLOSED = "applications_closed", "Applications closed"
        DEADLINE_CHANGED = "deadline_changed", "Deadline changed"
        PHASE_CHANGED = "phase_changed", "Phase changed"
        WAVE_SENT = "wave_sent", "Invitations sent"
        REMINDERS_SENT = "reminders_sent", "Reminders sent"
        DECISION = "decision", "Applications decided"
        ELIGIBILITY_OVERRIDE = "eligibility_override", "Eligibility overridden"
        COORDINATOR_ADDED = "coordinator_added", "Coordinator added"
        COORDINATOR_REMOVED = "coordinator_removed", "Coordinator removed"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="log")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=24, choices=Action.choices)
    summary = models.CharField(max_length=300)
    reason = models.TextField(blank=True)
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.summary}"


class SensitiveAccess(models.Model):
    """A coordinator looked at an applicant's sensitive answers: who, why and when."""

    class Reason(models.TextChoices):
        MATCHING = "matching", "Checking a proposed match"
        ELIGIBILITY = "eligibility", "Checking eligibility"
        ADJUSTMENT = "adjustment", "Arranging a reasonable adjustment"
        SAFEGUARDING = "safeguarding", "Safeguarding or wellbeing"
        OTHER = "other", "Another reason"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="sensitive_accesses"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="sensitive_accesses"
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.CharField(max_length=300, blank=True)
    fields = models.JSONField(default=list, help_text="What was shown.")
    channel = models.CharField(max_length=8, default="web")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "sensitive accesses"

    def __str__(self) -> str:
        return f"{self.viewer} viewed application {self.application_id} ({self.reason})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("A record of access to sensitive data cannot be changed.")
        super().save(*args, **kwargs)
