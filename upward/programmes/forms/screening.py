"""Forms for invitation waves and for screening applications."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Max, Min

from upward.directory.models import Organisation, Person

from ..models import (
    Application,
    Cohort,
    Programme,
    SensitiveAccess,
    Side,
)
from ._fields import choice_field, model_field


def programme_grade_levels(programme: Programme) -> tuple[int, int] | None:
    """The lowest and highest grade level among the programme's people, if any."""
    found = Person.objects.filter(organisation__in=programme.organisations.all()).aggregate(
        low=Min("grade_level"), high=Max("grade_level")
    )
    if found["low"] is None:
        return None
    return found["low"], found["high"]


class WaveForm(forms.Form):
    side = forms.ChoiceField(
        choices=Side.choices,
        widget=forms.RadioSelect,
        label="Invite as",
        error_messages={"required": "Choose whether to invite leaders or mentors."},
    )
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Organisations",
        help_text="Leave all unticked for every organisation in the programme.",
    )
    grade_min = forms.IntegerField(
        required=False, min_value=0, max_value=100, label="Lowest grade level"
    )
    grade_max = forms.IntegerField(
        required=False, min_value=0, max_value=100, label="Highest grade level"
    )
    departments = forms.MultipleChoiceField(
        choices=(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        label="Departments",
        help_text="Leave empty for every department.",
    )
    identifiers = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Or a list of people",
        help_text="Employee ids or email addresses, separated by commas or new lines.",
        max_length=100_000,
    )
    order = forms.ChoiceField(
        choices=[
            ("senior", "Most senior first"),
            ("junior", "Most junior first"),
            ("name", "By name"),
        ],
        initial="senior",
        required=False,
        label="Order",
    )
    limit = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=5000,
        label="At most this many people",
        help_text="Taken from the top of the order. Leave empty for everyone who matches.",
    )
    message = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="A personal note for the email",
    )

    def __init__(
        self, *args: Any, programme: Programme, departments: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["organisations"]
        ).queryset = programme.organisations.all()
        choice_field(self, "departments").choices = [(d, d) for d in departments]
        levels = programme_grade_levels(programme)
        if levels:
            hint = (
                f"The directory's grade levels run from {levels[0]} to {levels[1]}; a higher "
                "number is more senior."
            )
            self.fields["grade_min"].help_text = hint

    def clean_identifiers(self) -> list[str]:
        raw = self.cleaned_data.get("identifiers") or ""
        items = [i.strip() for i in raw.replace(",", "\n").splitlines() if i.strip()]
        return list(dict.fromkeys(items))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("grade_min"), cleaned.get("grade_max")
        if low is not None and high is not None and low > high:
            self.add_error("grade_max", "The highest grade must not be below the lowest.")
        return cleaned

    def criteria(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "organisation_ids": [o.pk for o in data.get("organisations") or []],
            "departments": data.get("departments") or [],
            "grade_min": data.get("grade_min"),
            "grade_max": data.get("grade_max"),
            "identifiers": data.get("identifiers") or [],
            "order": data.get("order") or "senior",
        }


class ScreeningFilterForm(forms.Form):
    side = forms.ChoiceField(
        choices=[("", "Both sides"), *Side.choices], required=False, label="Side"
    )
    status = forms.ChoiceField(choices=[("", "Any status")], required=False, label="Status")
    eligibility = forms.ChoiceField(
        choices=[
            ("", "Anyone"),
            ("eligible", "Eligible"),
            ("ineligible", "Not eligible"),
            ("overridden", "Let in by override"),
        ],
        required=False,
        label="Eligibility",
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, empty_label="Any organisation"
    )
    cohort = forms.TypedChoiceField(
        choices=(), required=False, coerce=int, empty_value=None, label="Cohort"
    )
    department = forms.ChoiceField(choices=(), required=False, label="Department")
    q = forms.CharField(required=False, max_length=100, label="Name, email or employee id")

    def __init__(
        self, *args: Any, programme: Programme, departments: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "status").choices = [
            ("", "Any status"),
            *Application.Status.choices,
        ]
        cast(
            forms.ModelChoiceField, self.fields["organisation"]
        ).queryset = programme.organisations.all()
        choice_field(self, "cohort").choices = [
            ("", "Any cohort"),
            (0, "No cohort yet"),
            *[(c.pk, c.name) for c in programme.cohorts.all()],
        ]
        choice_field(self, "department").choices = [
            ("", "Any department"),
            *[(d, d) for d in departments],
        ]


class BulkDecisionForm(forms.Form):
    applications = forms.TypedMultipleChoiceField(
        coerce=int,
        choices=(),
        error_messages={"required": "Tick at least one application."},
    )
    decision = forms.ChoiceField(
        choices=[
            ("accept", "Accept"),
            ("waitlist", "Put on the waiting list"),
            ("decline", "Decline"),
            ("cohort", "Put in a cohort only"),
        ],
        label="Do this with the ticked applications",
    )
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(), required=False, empty_label="No cohort", label="Cohort"
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_field(self, "cohort").queryset = programme.cohorts.all()
        # Any id is accepted here; the service refuses ids outside the programme.
        ids = self.data.getlist("applications") if hasattr(self.data, "getlist") else []
        choice_field(self, "applications").choices = [(i, i) for i in ids]


class SensitiveViewForm(forms.Form):
    reason = forms.ChoiceField(
        choices=SensitiveAccess.Reason.choices,
        widget=forms.RadioSelect,
        label="Why do you need to see it?",
    )
    note = forms.CharField(
        required=False,
        max_length=300,
        label="More detail",
        help_text="Required for 'another reason'.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("reason") == SensitiveAccess.Reason.OTHER
            and not cleaned.get("note", "").strip()
        ):
            self.add_error("note", "Say why you need to see this information.")
        return cleaned
