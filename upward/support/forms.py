from __future__ import annotations

from typing import Any, cast

from django import forms

from upward.core.versioning import MAX_VERSION

from .models import Concern, Resource
from .services import MAX_TEXT


class ConcernForm(forms.Form):
    pair = forms.TypedChoiceField(label="Which mentoring relationship", coerce=int)
    about = forms.ChoiceField(label="What it is about", choices=Concern.About.choices)
    route_to = forms.ChoiceField(
        label="Who should handle it",
        choices=Concern.RouteTo.choices,
        widget=forms.RadioSelect,
        initial=Concern.RouteTo.WELLBEING_LEAD,
    )
    anonymous = forms.BooleanField(label="Keep my name from the handler too", required=False)
    body = forms.CharField(
        label="Your concern", widget=forms.Textarea(attrs={"rows": 6}), max_length=MAX_TEXT
    )

    def __init__(self, *args: Any, pairs: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["pair"]).choices = [
            (p.pk, f"{p.programme.name}: {p.leader.person.name} and {p.mentor.person.name}")
            for p in pairs
        ]


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Your message", widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_TEXT
    )


class TriageForm(forms.Form):
    state = forms.ChoiceField(
        label="State",
        choices=[
            (Concern.State.TRIAGED, "Triaged"),
            (Concern.State.IN_PROGRESS, "In progress"),
        ],
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION)


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome (the raiser reads it)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION)


class PairStepForm(forms.Form):
    action = forms.ChoiceField(choices=[("pause", "Pause"), ("resume", "Resume"), ("end", "End")])
    reason = forms.CharField(
        label="Reason, for the coordinator only (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION)


class ResourceForm(forms.ModelForm):
    url = forms.URLField(label="Web address", required=False, max_length=200, assume_scheme="https")
    scope = forms.TypedChoiceField(
        label="For whom", coerce=int, help_text="This programme, or a whole organisation."
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION, required=False
    )

    class Meta:
        model = Resource
        fields = ["kind", "title", "description", "contact", "url"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, scopes: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["scope"]).choices = scopes


class PulseForm(forms.Form):
    pair = forms.TypedChoiceField(label="Which relationship", coerce=int)
    on = forms.DateField(label="Day of the meeting", widget=forms.DateInput(attrs={"type": "date"}))
    energy = forms.TypedChoiceField(
        label="Your energy after it (1 drained, 5 energised)",
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
    )
    strain = forms.TypedChoiceField(
        label="How straining it was (1 not at all, 5 very)",
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
    )

    def __init__(self, *args: Any, pairs: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["pair"]).choices = [
            (p.pk, f"{p.programme.name}: {p.leader.person.name}") for p in pairs
        ]
