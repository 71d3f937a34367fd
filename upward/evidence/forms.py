"""Forms of evidence pages: setting up a campaign, notes on results, the instrument builder (the
answers themselves are checked by the instrument, see ``instruments.check_answers``)."""

from __future__ import annotations

from typing import Any

from django import forms

from upward.core.versioning import VersionedForm
from upward.directory.models import Organisation
from upward.programmes.models import Cohort, Programme

from .instruments import MAX_ITEMS, Kind
from .models import Campaign, ResultNote


class CampaignForm(forms.Form):
    title = forms.CharField(max_length=200)
    instrument = forms.ChoiceField(choices=[])
    stage = forms.ChoiceField(choices=Campaign.Stage.choices)
    audience = forms.ChoiceField(choices=Campaign.Audience.choices)
    side = forms.ChoiceField(
        choices=[("", "Both sides"), ("leader", "Leaders"), ("mentor", "Mentors")], required=False
    )
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(), required=False, empty_label="Every cohort"
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, empty_label="Every organisation"
    )
    opens_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    reminder_every_days = forms.IntegerField(min_value=1, max_value=60, initial=7)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        from .catalogue import available_for

        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [(i.key, i.title) for i in available_for(programme)]  # type: ignore[attr-defined]
        self.fields["cohort"].queryset = Cohort.objects.filter(programme=programme)  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = programme.organisations.all()  # type: ignore[attr-defined]


class ResultNoteForm(VersionedForm, forms.Form):
    kind = forms.ChoiceField(choices=ResultNote.Kind.choices)
    anchor = forms.ChoiceField(
        choices=[], required=False, label="Beside", help_text="Stories only; lessons stand alone."
    )
    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000)

    def __init__(self, *args: Any, anchors: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["anchor"].choices = list(anchors.items())  # type: ignore[attr-defined]


class InstrumentForm(forms.Form):
    key = forms.CharField(
        max_length=40, help_text="Letters, digits and underscores, e.g. team_climate."
    )
    title = forms.CharField(max_length=200)
    purpose = forms.CharField(max_length=500, required=False)


KIND_CHOICES = [
    (Kind.LIKERT.value, "Likert scale"),
    (Kind.NUMBER.value, "Number"),
    (Kind.CHOICE.value, "Choice"),
    (Kind.TEXT.value, "Free text"),
]


class ItemForm(forms.Form):
    key = forms.CharField(max_length=40, required=False)
    text = forms.CharField(max_length=500, required=False, label="Question")
    kind = forms.ChoiceField(choices=KIND_CHOICES, initial=Kind.LIKERT.value)
    reverse = forms.BooleanField(required=False, label="Reverse-scored")
    options = forms.CharField(
        max_length=1000,
        required=False,
        label="Labels or choices",
        help_text="Likert: one label per point, lowest first; choice: the options. Separate "
        "them with semicolons.",
    )
    minimum = forms.FloatField(required=False, min_value=-1_000_000, max_value=1_000_000)
    maximum = forms.FloatField(required=False, min_value=-1_000_000, max_value=1_000_000)

    def item_data(self) -> dict[str, Any] | None:
        """The item as the builder's plain data; None for a row left empty."""
        d = self.cleaned_data
        if not (d.get("key") or "").strip() and not (d.get("text") or "").strip():
            return None
        options = [o.strip() for o in (d.get("options") or "").split(";") if o.strip()]
        return {
            "key": (d.get("key") or "").strip(),
            "text": (d.get("text") or "").strip(),
            "kind": d.get("kind") or Kind.LIKERT.value,
            "reverse": bool(d.get("reverse")),
            "labels": options if d.get("kind") == Kind.LIKERT.value else [],
            "choices": options if d.get("kind") == Kind.CHOICE.value else [],
            "minimum": d.get("minimum"),
            "maximum": d.get("maximum"),
        }


ItemFormSet = forms.formset_factory(
    ItemForm, extra=8, max_num=MAX_ITEMS, validate_max=True, absolute_max=MAX_ITEMS
)
