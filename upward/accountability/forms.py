"""Forms of the accountability pages; the services enforce the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from upward.core.bounds import BoundedDateField
from upward.core.versioning import VersionField

from .models import MAX_VOTES, Commitment, Nomination

LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SessionForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    prompt = forms.CharField(
        label="The question for participants",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    opens_at = forms.DateTimeField(label="Opens", widget=LOCAL, input_formats=["%Y-%m-%dT%H:%M"])
    closes_at = forms.DateTimeField(label="Closes", widget=LOCAL, input_formats=["%Y-%m-%dT%H:%M"])
    votes_per_person = forms.IntegerField(
        label="Votes for each person", min_value=1, max_value=MAX_VOTES, initial=3
    )


class IdeaForm(forms.Form):
    text = forms.CharField(
        label="Your idea for the organisation",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    anonymous = forms.BooleanField(
        label="Submit anonymously",
        required=False,
        help_text=(
            "Nobody, not even the coordinator, will see that it is yours: it is not linked to "
            "you at all, so it will not be listed as yours and you cannot withdraw it."
        ),
    )


class GroupForm(forms.Form):
    title = forms.CharField(label="Title of the group", max_length=200)
    ideas = forms.TypedMultipleChoiceField(label="Ideas", coerce=int, choices=())
    version = VersionField()

    def __init__(self, *args: Any, ideas: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ideas"].choices = [(i.pk, i.text[:80]) for i in ideas]  # type: ignore[attr-defined]


class TermsForm(forms.Form):
    owner = forms.TypedChoiceField(label="Owner (a leader in the programme)", coerce=int)
    change = forms.CharField(
        label="What will change", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    measure = forms.CharField(label="Measure or KPI", max_length=300)
    baseline = forms.CharField(label="Baseline (where it is now)", max_length=100)
    target = forms.CharField(label="Target", max_length=100)
    due_on = BoundedDateField(label="Due", widget=DAY)

    def __init__(self, *args: Any, leaders: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .selectors import leader_name

        self.fields["owner"].choices = [("", "Choose a leader")] + [  # type: ignore[attr-defined]
            (u.pk, leader_name(u)) for u in leaders
        ]


class EditForm(TermsForm):
    version = VersionField()


class UpdateForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=Commitment.Status.choices)
    note = forms.CharField(
        label="What happened", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.CharField(
        label="Evidence (a link or where to look)", max_length=500, required=False
    )
    reason = forms.CharField(
        label="Why it is dropped (when dropped)", max_length=2000, required=False
    )
    version = VersionField()


class NominationForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of opportunity", choices=Nomination.Kind.choices)
    title = forms.CharField(label="The opportunity", max_length=200)
    description = forms.CharField(
        label="Description", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("agree", "Agree"), ("decline", "Decline")])
    version = VersionField()


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome", choices=Nomination.Outcome.choices)
    version = VersionField()
