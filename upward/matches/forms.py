"""Forms of the matching pages: what a coordinator may send, checked before any service runs."""

from __future__ import annotations

from typing import Any

from django import forms

from upward.programmes.models import Cohort, Programme
from upward.programmes.policy import WEIGHT_WORDS

from .inputs import WEIGHT_LABELS
from .models import MatchingRun

WEIGHT_CHOICES = [(n, f"{n} — {words}") for n, words in WEIGHT_WORDS.items()]


class StartRunForm(forms.Form):
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(),
        required=False,
        empty_label="Everyone accepted in the programme",
        label="Who to match",
        help_text="Match the whole programme, or one cohort's accepted applicants.",
        error_messages={"invalid_choice": "Choose one of this programme's cohorts."},
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.filter(  # type: ignore[attr-defined]
            programme=programme
        )


class VersionForm(forms.Form):
    """Every edit of a run carries the version the coordinator saw."""

    version = forms.IntegerField(
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "required": "Reload the page: the version of the run you saw is missing.",
            "invalid": "Reload the page: the version of the run you saw is not a number.",
        },
    )


class PairActionForm(VersionForm):
    leader = forms.IntegerField(
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"required": "Choose a pair.", "invalid": "Choose a pair."},
    )


class ChangeForm(VersionForm):
    mentor = forms.IntegerField(
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"required": "Choose a mentor.", "invalid": "Choose a mentor."},
    )
    displace = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class WeightsForm(VersionForm):
    """The policy's weights, 0 to 5 each, for a preview run."""

    def __init__(self, *args: Any, initial_weights: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in WEIGHT_LABELS.items():
            self.fields[key] = forms.TypedChoiceField(
                label=label,
                choices=WEIGHT_CHOICES,
                coerce=int,
                initial=initial_weights.get(key, 0),
                # Working style came later: a form without it keeps the programme's weight.
                required=key != "working_style",
                empty_value=str(initial_weights.get(key, 0)),
                error_messages={"invalid_choice": "Choose a weight from 0 to 5."},
            )

    def weights(self) -> dict[str, int]:
        return {key: int(self.cleaned_data[key]) for key in WEIGHT_LABELS}


class CompareForm(forms.Form):
    a = forms.ModelChoiceField(
        queryset=MatchingRun.objects.none(),
        label="Compare run",
        empty_label=None,
        error_messages={"invalid_choice": "Choose a finished run of this programme."},
    )
    b = forms.ModelChoiceField(
        queryset=MatchingRun.objects.none(),
        label="with run",
        empty_label=None,
        error_messages={"invalid_choice": "Choose a finished run of this programme."},
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        done = MatchingRun.objects.filter(
            programme=programme, status=MatchingRun.Status.DONE
        ).order_by("-number")
        for name in ("a", "b"):
            field = self.fields[name]
            field.queryset = done  # type: ignore[attr-defined]
            field.to_field_name = "number"  # type: ignore[attr-defined]
            field.label_from_instance = lambda run: f"Run {run.number}"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("a") and cleaned.get("a") == cleaned.get("b"):
            raise forms.ValidationError("Choose two different runs.")
        return cleaned


class PairFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Find a person")
    show = forms.ChoiceField(
        required=False,
        label="Show",
        choices=[
            ("", "All pairs"),
            ("locked", "Locked pairs"),
            ("manual", "Pairs chosen by hand"),
            ("new", "Not yet proposed"),
            ("published", "Already proposed"),
        ],
    )
    order = forms.ChoiceField(
        required=False,
        label="Order by",
        choices=[
            ("-score", "Highest score first"),
            ("score", "Lowest score first"),
            ("leader", "Leader's name"),
            ("mentor", "Mentor's name"),
        ],
    )


class LeaderPickForm(forms.Form):
    leader = forms.TypedChoiceField(
        coerce=int,
        label="Leader",
        error_messages={"invalid_choice": "Choose a leader in this run."},
    )

    def __init__(self, *args: Any, leaders: list[tuple[Any, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].choices = [  # type: ignore[attr-defined]
            (
                leader.pk,
                f"{leader.person.name} — "
                + (f"now with {mentor.person.name}" if mentor else "no partner yet"),
            )
            for leader, mentor in leaders
        ]


class MentorSearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=100,
        label="Or find any mentor in the run by name",
        help_text="Shows the score and any rule the pair would break.",
    )
