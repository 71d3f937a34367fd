"""Forms for setting a programme up: basics, objectives, schedule, matching policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from upward.core.versioning import VersionedForm
from upward.directory.models import Organisation
from upward.matching.style import TRAIT_LABELS, TRAITS

from .. import identity
from ..defaults import DEFAULT_LENGTH_MONTHS
from ..models import (
    Challenge,
    Programme,
)
from ..policy import CRITERIA, WEIGHT_WORDS
from ._fields import model_field

# A date field shows and sends ISO dates (YYYY-MM-DD) whatever the locale; any other format
# leaves the browser's date input empty, so a saved date would be lost on the next save.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgrammeBasicsForm(VersionedForm, forms.Form):
    name = forms.CharField(max_length=200, label="Programme name")
    kind = forms.ChoiceField(
        choices=Programme.Kind.choices,
        label="Kind of mentoring",
        widget=forms.RadioSelect,
        help_text=(
            "Reverse: junior colleagues mentor senior leaders. Reciprocal: both learn from each "
            "other by design. Traditional: senior colleagues mentor junior ones."
        ),
    )
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Organisations taking part",
        help_text="Choose more than one for a cross-organisation programme.",
        error_messages={"required": "Choose at least one organisation."},
    )
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What the programme is for",
        help_text="A few sentences applicants will read on their invitation.",
    )
    starts_on = forms.DateField(
        widget=DATE, label="Start date", help_text="When the readiness phase begins."
    )
    length_months = forms.IntegerField(
        min_value=3,
        max_value=36,
        initial=DEFAULT_LENGTH_MONTHS,
        label="Length in months",
        help_text="Most programmes last twelve months.",
    )
    meeting_cadence = forms.ChoiceField(
        choices=Programme.Cadence.choices,
        initial=Programme.Cadence.MONTHLY,
        label="How often pairs are expected to meet",
    )
    meeting_minutes = forms.IntegerField(
        min_value=15, max_value=240, initial=60, label="Length of each meeting, in minutes"
    )
    hours_per_month = forms.IntegerField(
        min_value=1,
        max_value=40,
        initial=2,
        label="Hours a month asked of each participant",
        help_text="Including training and group sessions.",
    )
    anonymity_threshold = forms.IntegerField(
        min_value=3,
        max_value=50,
        initial=5,
        label="Anonymity threshold",
        help_text="Survey results show only for groups of at least this many people (3 or more).",
        error_messages={"min_value": "The anonymity threshold can never be below 3."},
    )

    def __init__(
        self, *args: Any, organisations: Any, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        model_field(self, "organisations").queryset = organisations
        if editing:
            del self.fields["length_months"]
            self.fields["ends_on"] = forms.DateField(widget=DATE, label="End date")
            self.order_fields([*list(self.fields)[:6], "ends_on"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", "The end date must be after the start date.")
        return cleaned


class ObjectivesForm(VersionedForm, forms.Form):
    challenges = forms.MultipleChoiceField(
        choices=[c for c in Challenge.choices if c[0] != Challenge.OTHER],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Challenges the programme is designed to solve",
        help_text="Choose the few that matter most; the application questions follow them.",
    )
    other = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Your own objectives",
        help_text="One a line, in your own words.",
        max_length=2000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Challenge.choices:
            if value == Challenge.OTHER:
                continue
            self.fields[f"detail_{value}"] = forms.CharField(
                required=False,
                max_length=1000,
                label=f"{label}: what it means here",
                help_text="Optional: how you will know it has changed.",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("challenges") and not (cleaned.get("other") or "").strip():
            raise forms.ValidationError(
                "Choose at least one challenge, or describe your own objective."
            )
        return cleaned

    def detail_fields(self) -> list[forms.BoundField]:
        return [self[f"detail_{v}"] for v, _ in Challenge.choices if v != Challenge.OTHER]


class ScheduleForm(VersionedForm, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for phase, label in Programme.Phase.choices:
            self.fields[f"{phase}_start"] = forms.DateField(widget=DATE, label=f"{label} starts")
            self.fields[f"{phase}_end"] = forms.DateField(widget=DATE, label=f"{label} ends")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for phase, label in Programme.Phase.choices:
            start, end = cleaned.get(f"{phase}_start"), cleaned.get(f"{phase}_end")
            if start and end and end < start:
                self.add_error(f"{phase}_end", f"{label} must end on or after its start.")
        return cleaned

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (label, self[f"{phase}_start"], self[f"{phase}_end"])
            for phase, label in Programme.Phase.choices
        ]

    def windows(self) -> dict[str, tuple[dt.date, dt.date]]:
        return {
            phase: (self.cleaned_data[f"{phase}_start"], self.cleaned_data[f"{phase}_end"])
            for phase in Programme.Phase.values
        }


WEIGHT_CHOICES = [(n, f"{n} — {WEIGHT_WORDS[n]}") for n in range(6)]


class PolicyForm(VersionedForm, forms.Form):
    min_grade_gap = forms.IntegerField(
        min_value=0,
        max_value=10,
        label="Smallest gap in grade between leader and mentor",
        help_text="0 allows any gap.",
    )
    ban_same_department = forms.BooleanField(
        required=False, label="Never pair people from the same department"
    )
    ban_same_organisation = forms.BooleanField(
        required=False,
        label="Never pair people from the same organisation (cross-organisation programmes)",
    )
    min_availability_overlap = forms.IntegerField(
        min_value=0,
        max_value=10,
        label="Time slots a pair must share each week",
        help_text="From the availability grid on the forms. 0 does not check availability.",
    )
    require_shared_language = forms.BooleanField(
        required=False,
        label="Pairs must share a language",
        help_text="Reads the answers to questions that matching uses as “Languages”.",
    )
    algorithm = forms.ChoiceField(
        choices=[
            ("optimal", "Best total for everyone (optimal assignment)"),
            ("stable", "Stable matching (nobody would both rather swap)"),
        ],
        widget=forms.RadioSelect,
        label="How pairs are chosen",
    )
    blind_proposals = forms.BooleanField(
        required=False,
        label="Blind proposals",
        help_text=(
            "Each person sees the other's explanation, topics and role level, but not their "
            "name, job title, organisation or contact details until both accept. If either "
            "declines, neither learns who the other was."
        ),
    )
    complementary_traits = forms.MultipleChoiceField(
        choices=[(t, TRAIT_LABELS[t]) for t in TRAITS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Working style: pair complementary people on these traits",
        help_text=(
            "Used when working style counts above 0. On the traits ticked, people who differ are "
            "paired; on the others, people who are alike. Applicants answer a short, optional "
            "questionnaire with consent, and nobody but them sees their scores."
        ),
    )
    identity_dimensions = forms.MultipleChoiceField(
        choices=[(d.code, d.label) for d in identity.DIMENSIONS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Identity questions to offer applicants, and the difference the programme seeks",
        help_text=(
            "Always optional for applicants, each with its purpose and a consent they can "
            "withdraw. Only consented answers reach matching."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, name in CRITERIA:
            self.fields[f"weight_{key}"] = forms.TypedChoiceField(
                choices=WEIGHT_CHOICES, coerce=int, label=name[0].upper() + name[1:]
            )

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{key}"] for key, _ in CRITERIA]

    def rule_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in (
                "min_grade_gap",
                "ban_same_department",
                "ban_same_organisation",
                "min_availability_overlap",
                "require_shared_language",
                "algorithm",
                "blind_proposals",
            )
        ]


class OpenApplicationsForm(forms.Form):
    deadline = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        label="Deadline",
        help_text="Applicants can apply and change their answers until then. Leave empty for none.",
    )

    def clean_deadline(self) -> dt.datetime | None:
        deadline = self.cleaned_data.get("deadline")
        if deadline is not None and deadline <= timezone.now():
            raise forms.ValidationError("The deadline must be in the future.")
        return deadline


class OpenCallForm(VersionedForm, forms.Form):
    leaders = forms.BooleanField(required=False, label="Open call for leaders")
    mentors = forms.BooleanField(required=False, label="Open call for mentors")


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(choices=Programme.Phase.choices, label="Move to phase")


class CoordinatorAddForm(forms.Form):
    email = forms.EmailField(label="Email address of their Upward account")
