"""Typed access to a form's fields, for setting choices and querysets at run time."""

from __future__ import annotations

from typing import cast

from django import forms


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def model_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])
