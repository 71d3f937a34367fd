from __future__ import annotations

from typing import Any

from django import forms

MAX_UPLOAD_BYTES = 40 * 1024 * 1024


class DirectoryUploadForm(forms.Form):
    file = forms.FileField(
        label="Directory file",
        help_text=(
            "A CSV or Excel (.xlsx) file with one row per person. Columns: employee_id, name, "
            "email, job_title, grade, grade_level, department, location, time_zone, "
            "manager_employee_id, start_date, active. Only employee_id and name are required."
        ),
    )
    deactivate_missing = forms.BooleanField(
        required=False,
        label="Mark people who are not in this file as no longer active",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx", ".txt", ".tsv")):
            raise forms.ValidationError("Upload a CSV (.csv) or Excel (.xlsx) file.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 40 MB; split it into parts.")
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload


class PeopleSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search people")


class AppointForm(forms.Form):
    """Appoint someone to a role in the organisation or one of its programmes."""

    email = forms.EmailField(max_length=254, label="Their email address")
    name = forms.CharField(
        max_length=200,
        required=False,
        label="Their name",
        help_text="Only needed when they have no Upward account yet.",
    )
    role = forms.ChoiceField(label="Role")
    scope = forms.ChoiceField(label="For")

    def __init__(self, *args: Any, organisation: Any, programmes: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        from upward.accounts.models import Role
        from upward.accounts.services import APPOINTABLE_ROLES

        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [(r.value, r.label) for r in APPOINTABLE_ROLES if isinstance(r, Role)]
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ChoiceField)
        scope.choices = [("", f"All of {organisation.name}")] + [
            (p.slug, p.name) for p in programmes
        ]
        scope.required = False
