"""Forms of the preparation pages: they check the shape of the input; services check the rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from upward.pairs.models import Pair
from upward.programmes.models import Programme

from .models import Agreement, Audience, Waiver, Workshop


class AgreementForm(forms.Form):
    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    topics = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)
    cadence = forms.ChoiceField(label="How often you meet", choices=Programme.Cadence.choices)
    meeting_minutes = forms.IntegerField(
        label="How long each meeting lasts (minutes)", min_value=15, max_value=240
    )
    meeting_format = forms.ChoiceField(label="How you meet", choices=Agreement.Format.choices)
    confidentiality = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)
    boundaries = forms.CharField(
        label="Boundaries: what is off-limits",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    leader_gains = forms.CharField(
        label="What the leader hopes to gain",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    mentor_gains = forms.CharField(
        label="What the mentor hopes to gain",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    pause_and_end = forms.CharField(
        label="How either of you can pause or end it",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    first_review_on = forms.DateField(
        label="First review", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    final_review_on = forms.DateField(
        label="Final review", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class SignForm(forms.Form):
    number = forms.IntegerField(min_value=1, max_value=100000, widget=forms.HiddenInput)
    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    typed_name = forms.CharField(label="Type your full name to sign", max_length=200)


class BoardFilterForm(forms.Form):
    """The pairs board's filters (query parameters, checked like any input)."""

    q = forms.CharField(required=False, max_length=100, label="Find a person")
    state = forms.ChoiceField(
        required=False, label="State", choices=[("", "Every state"), *Pair.State.choices]
    )


class WaiverForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    requirement = forms.ChoiceField(choices=Waiver.Requirement.choices)
    reason = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class TrackForm(forms.Form):
    title = forms.CharField(max_length=200)
    audience = forms.ChoiceField(choices=Audience.choices)
    summary = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    required = forms.BooleanField(
        required=False, initial=True, label="Required before a pair becomes active"
    )


class ModuleForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Text (Markdown: **bold**, *italic*, - lists, [links](https://…))",
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    link_url = forms.URLField(label="Link", max_length=500, required=False, assume_scheme="https")
    link_label = forms.CharField(label="Link text", max_length=200, required=False)
    attachment = forms.FileField(
        label="File (PDF, picture, text, Word or PowerPoint; at most 10 MB)", required=False
    )
    remove_attachment = forms.BooleanField(label="Remove the current file", required=False)
    pass_mark = forms.IntegerField(label="Pass mark (%)", required=False)
    questions = forms.CharField(
        label="Knowledge check (optional)",
        help_text="One question per block, blocks separated by a blank line. Under the question, "
        "one choice per line starting with '-', the right one starting with '*'.",
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class WorkshopForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Workshop.Kind.choices)
    audience = forms.ChoiceField(choices=Audience.choices)
    cohort = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, choices=[])
    starts_at = forms.DateTimeField(
        label="Starts at (your time zone)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    minutes = forms.IntegerField(min_value=15, max_value=480, initial=90)
    place = forms.CharField(max_length=300, required=False)
    video_url = forms.URLField(
        label="Video link", max_length=500, required=False, assume_scheme="https"
    )
    capacity = forms.IntegerField(min_value=1, max_value=1000, initial=20)
    description = forms.CharField(
        max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, cohorts: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [("", "Every cohort"), *cohorts]  # type: ignore[attr-defined]
