"""Forms for readiness, interviews, cohorts and topics, and for recorded reasons."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from upward.core.versioning import VersionedForm

from ..models import (
    Cohort,
    Programme,
    ReadinessItem,
    StakeholderInterview,
)
from .setup import DATE


class ReadinessItemForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = ReadinessItem
        fields = ["status", "owner", "evidence", "due_on"]
        widgets = {
            "status": forms.RadioSelect,
            "evidence": forms.Textarea(attrs={"rows": 4}),
            "due_on": DATE,
        }
        labels = {"due_on": "Due by"}


class ReadinessItemAddForm(forms.Form):
    title = forms.CharField(max_length=200, label="What needs to be in place")
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Why it matters"
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=15,
        max_length=2000,
        label="Reason",
        help_text="At least 15 characters. It is kept on the programme's record with your name.",
        error_messages={
            "required": "Give a reason: it is kept on the record.",
            "min_length": "Give a reason of at least 15 characters: it is kept on the record.",
        },
    )


class InterviewForm(VersionedForm, forms.ModelForm):
    themes = forms.MultipleChoiceField(
        choices=StakeholderInterview.Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Themes",
        help_text="The themes the problems fall under, for the summary across interviews.",
    )

    class Meta:
        model = StakeholderInterview
        fields = ["interviewee", "role", "organisation", "held_on", "problems", "themes"]
        widgets = {"held_on": DATE, "problems": forms.Textarea(attrs={"rows": 5})}
        labels = {
            "interviewee": "Who was interviewed",
            "held_on": "Date of the interview",
            "problems": "Problems named",
        }
        help_texts = {"problems": "In their words. Kept encrypted; only coordinators see it."}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = cast(forms.ModelChoiceField, self.fields["organisation"])
        organisation.queryset = programme.organisations.all()
        organisation.empty_label = "Not one organisation in particular"
        organisation.required = False


class CohortForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "starts_on", "capacity", "description"]
        widgets = {"starts_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}
        labels = {"starts_on": "Starts on", "capacity": "Capacity (pairs)"}

    def validate_unique(self) -> None:
        # The service reports a duplicate name in words; the programme is not on the form.
        pass


class TopicForm(forms.Form):
    name = forms.CharField(max_length=120, label="Topic")
    description = forms.CharField(max_length=300, required=False, label="Description")
