"""Organisations and their people, with the reporting line that keeps matching power-safe."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    email_domain = models.CharField(max_length=200, blank=True)
    mentor_load_cap = models.PositiveSmallIntegerField(
        default=2,
        help_text="The most mentoring pairs one junior mentor may hold at once, across programmes.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """Someone in an organisation's directory. Not every person has an account."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    employee_id = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    grade = models.CharField(max_length=100, blank=True)
    grade_level = models.PositiveSmallIntegerField(
        default=0, help_text="Seniority: a higher number is more senior."
    )
    department = models.CharField(max_length=200, blank=True, db_index=True)
    location = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    start_date = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "employee_id"], name="person_unique_employee_id"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "grade_level"])]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_id})"


class DirectoryImport(models.Model):
    """An uploaded directory file: previewed first, applied only when the admin confirms."""

    class Status(models.TextChoices):
        CHECKING = "checking", "Checking the file"
        PREVIEWED = "previewed", "Ready to apply"
        REJECTED = "rejected", "Has errors"
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    deactivate_missing = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices)
    summary = models.JSONField(default=dict)
    errors = models.JSONField(default=list)
    progress = models.FloatField(default=0.0)
    # Set by the task worker as it works: an import checking or running whose heartbeat is older
    # than UPWARD_IMPORT_STALE_SECONDS has lost its worker (see services.directory_imports_reap).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # People written so far (created, updated or made inactive): more than 0 on a failed import
    # means part of the file is in the directory and the import can be finished.
    written = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} → {self.organisation} ({self.get_status_display()})"

    @property
    def can_finish(self) -> bool:
        """A failed import that wrote part of its file and still holds the file."""
        return self.status == self.Status.FAILED and self.written > 0 and bool(self.content)

    @property
    def to_write(self) -> int:
        summary = self.summary or {}
        return int(
            summary.get("creates", 0) + summary.get("updates", 0) + summary.get("deactivations", 0)
        )


class HrisSetting(models.Model):
    """How an organisation's HR system feeds the directory (see sync.py)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="hris_setting"
    )
    auto_apply = models.BooleanField(
        default=False,
        help_text="Apply HRIS changes automatically; otherwise each waits for approval.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"HRIS sync of {self.organisation}"


class HrisSync(models.Model):
    """One HRIS file, from the drop folder or the upload API, with the diff it would make."""

    class Source(models.TextChoices):
        FOLDER = "folder", "Drop folder"
        UPLOAD = "upload", "Upload"

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Waiting for approval"
        REJECTED = "rejected", "Has errors"
        APPLIED = "applied", "Applied"
        DISMISSED = "dismissed", "Dismissed"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="hris_syncs"
    )
    source = models.CharField(max_length=8, choices=Source.choices)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    content = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices)
    diff = models.JSONField(default=dict)
    errors = models.JSONField(default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"HRIS sync {self.filename} → {self.organisation} ({self.get_status_display()})"


class HrisFlag(models.Model):
    """Something an HRIS sync did, or would do, to a programme: for its coordinators."""

    class Kind(models.TextChoices):
        LEAVER_PAIR = "leaver_pair", "A person in a pair has left"
        LEAVER_APPLICATION = "leaver_app", "An applicant has left"
        REPORTING_LINE = "reporting", "A pair would be inside one reporting line"

    sync = models.ForeignKey(HrisSync, on_delete=models.CASCADE, related_name="flags")
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="hris_flags"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    pair = models.ForeignKey(
        "pairs.Pair", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    application = models.ForeignKey(
        "programmes.Application", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    message = models.CharField(max_length=400)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.programme})"
