from __future__ import annotations

from typing import Any

from django import forms

from upward.core.bounds import BoundedDateField, IdField

from .selectors import KIND_CHOICES


class AuditFilterForm(forms.Form):
    person = forms.CharField(
        required=False,
        max_length=100,
        label="Person",
        help_text="Part of their name, or their employee id.",
    )
    # Set when several people match the name and one of them was picked from the list.
    person_id = IdField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(required=False, choices=[("", "Everything"), *KIND_CHOICES])
    since = BoundedDateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = BoundedDateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "person_id" in self.errors:
            # A hidden field's error would show nowhere: say it beside the person's name.
            self.add_error("person", "Choose the person again from the list of matches.")
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("The start date is after the end date.")
        return data


class FindPersonForm(forms.Form):
    organisation = forms.ChoiceField(label="Organisation")
    employee_id = forms.CharField(max_length=64, label="Employee id")

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(o.pk, o.name) for o in organisations]


class ErasureForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        max_length=2000,
        help_text=(
            "Why the person is being erased, e.g. 'Erasure request received on 3 May'. "
            "Do not write the person's name: the record of the erasure must not identify them."
        ),
    )
    confirm_employee_id = forms.CharField(
        max_length=64, label="Type the person's employee id to confirm"
    )
    confirm = forms.BooleanField(
        label="I understand that this cannot be undone.",
    )

    def __init__(self, *args: Any, employee_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.employee_id = employee_id

    def clean_confirm_employee_id(self) -> str:
        value: str = self.cleaned_data["confirm_employee_id"].strip()
        if value != self.employee_id:
            raise forms.ValidationError("This is not the employee id of the person shown.")
        return value
