"""Forms for building application forms and eligibility rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from upward.core.versioning import VersionedForm
from upward.directory.models import Organisation

from ..models import (
    ApplicationForm,
    Programme,
    Question,
    Side,
)


class FormIntroForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = ApplicationForm
        fields = ["intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}
        labels = {"intro": "Introduction shown at the top of the form"}
        help_texts = {
            "intro": "A few words applicants read first: why you ask, and how long it takes."
        }


class QuestionForm(VersionedForm, forms.Form):
    kind = forms.ChoiceField(choices=Question.Kind.choices, label="Kind of question")
    label = forms.CharField(max_length=300, label="Question")
    help_text = forms.CharField(max_length=500, required=False, label="Help text")
    required = forms.BooleanField(required=False, label="An answer is required")
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Options",
        help_text="For single and multiple choice: one option a line.",
    )
    max_choices = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=50,
        label="Most options a person may pick",
        help_text="For multiple choice and topic pickers. Leave empty for no limit.",
    )
    min_value = forms.IntegerField(
        required=False, initial=1, min_value=-10, max_value=100, label="Scale from"
    )
    max_value = forms.IntegerField(
        required=False, initial=5, min_value=-10, max_value=100, label="Scale to"
    )
    min_label = forms.CharField(max_length=60, required=False, label="Words for the lowest point")
    max_label = forms.CharField(max_length=60, required=False, label="Words for the highest point")
    use = forms.ChoiceField(
        choices=Question.Use.choices, required=False, label="How matching uses the answer"
    )
    sensitive = forms.BooleanField(
        required=False,
        label="Sensitive: hide from coordinators unless needed, and log each look",
    )

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        return {
            "kind": question.kind,
            "label": question.label,
            "help_text": question.help_text,
            "required": question.required,
            "choices": "\n".join(question.choices),
            "max_choices": question.max_choices,
            "min_value": question.min_value,
            "max_value": question.max_value,
            "min_label": question.min_label,
            "max_label": question.max_label,
            "use": question.use,
            "sensitive": question.sensitive,
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["choices"] = [line for line in data["choices"].splitlines() if line.strip()]
        data["min_value"] = data["min_value"] if data["min_value"] is not None else 1
        data["max_value"] = data["max_value"] if data["max_value"] is not None else 5
        return data


class EligibilityForm(VersionedForm, forms.Form):
    grade_min = forms.IntegerField(
        required=False, min_value=0, max_value=100, label="Lowest grade level"
    )
    grade_max = forms.IntegerField(
        required=False, min_value=0, max_value=100, label="Highest grade level"
    )
    min_tenure_months = forms.IntegerField(
        min_value=0, max_value=600, initial=0, label="Months in the organisation, at least"
    )
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Only from these organisations",
        help_text="Leave all unticked to take people from every organisation in the programme.",
    )
    respect_mentor_load = forms.BooleanField(
        required=False,
        label=(
            "Turn away mentors who already hold as many active places as their organisation allows"
        ),
    )

    def __init__(self, *args: Any, programme: Programme, side: str, **kwargs: Any) -> None:
        kwargs["prefix"] = side
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["organisations"]
        ).queryset = programme.organisations.all()
        if side == Side.LEADER:
            del self.fields["respect_mentor_load"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("grade_min"), cleaned.get("grade_max")
        if low is not None and high is not None and low > high:
            self.add_error("grade_max", "The highest grade must not be below the lowest.")
        return cleaned
