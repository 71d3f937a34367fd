"""Forms of running a pair: times are typed as wall-clock times in a chosen time zone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from .errors import RunningRuleBroken
from .models import Meeting
from .zones import local_to_aware

LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _local(label: str, required: bool) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=required, widget=LOCAL, input_formats=["%Y-%m-%dT%H:%M"]
    )


class ZonedForm(forms.Form):
    zone = forms.CharField(
        label="Time zone of these times",
        max_length=64,
        help_text="For example Europe/London or America/New_York.",
    )
    time_fields: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        zone = cleaned.get("zone", "")
        times: list[dt.datetime] = []
        if zone:
            try:
                for name in self.time_fields:
                    if cleaned.get(name):
                        times.append(local_to_aware(cleaned[name], zone))
            except RunningRuleBroken as exc:
                self.add_error(None, str(exc))
        cleaned["times"] = times
        return cleaned


class ProposeForm(ZonedForm):
    time_1 = _local("First time", True)
    time_2 = _local("Second time (optional)", False)
    time_3 = _local("Third time (optional)", False)
    minutes = forms.IntegerField(label="Length in minutes", min_value=15, max_value=480, initial=60)
    place = forms.CharField(label="Where (a room or a video link)", max_length=300, required=False)
    time_fields = ("time_1", "time_2", "time_3")


class MoveForm(ZonedForm):
    starts_at = _local("New time", True)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    time_fields = ("starts_at",)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[(Meeting.State.HELD, "Held"), (Meeting.State.NO_SHOW, "No-show")]
    )
    minutes = forms.IntegerField(
        label="How long it took, in minutes", min_value=0, max_value=480, required=False
    )
    topics = forms.CharField(
        label="Topics covered",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class GoalForm(forms.Form):
    statement = forms.CharField(
        label="Your goal",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write the goal's statement: it is empty."},
    )
    measure = forms.CharField(label="How you will measure it", max_length=1000, required=False)
    target = forms.CharField(label="Target", max_length=500, required=False)
    due_on = forms.DateField(
        label="Due date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    objective = forms.TypedChoiceField(
        label="Programme objective", coerce=int, required=False, empty_value=None
    )
    kept_because = forms.CharField(
        label="If the check finds problems and you keep the goal as it is: why?",
        max_length=1000,
        required=False,
    )

    def __init__(self, *args: Any, objectives: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective"].choices = [("", "(none)"), *objectives]  # type: ignore[attr-defined]


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label="Progress (%)", min_value=0, max_value=100)
    comment = forms.CharField(label="Comment", max_length=2000, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
