"""Forms for invited people and applicants."""

from __future__ import annotations

from typing import Any

from django import forms

from .. import identity
from ..models import (
    Side,
)
from ._fields import choice_field


class IdentityForm(forms.Form):
    """The optional identity questions: an answer is kept only with the consent ticked."""

    def __init__(
        self, *args: Any, dimensions: list[identity.Dimension], scope_label: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        self.scope_label = scope_label
        for dimension in dimensions:
            self.fields[f"identity_{dimension.code}"] = forms.ChoiceField(
                choices=list(dimension.options),
                required=False,
                widget=forms.RadioSelect,
                label=dimension.question,
                help_text=f"Why we ask: {dimension.purpose}",
                error_messages={"invalid_choice": "Choose one of the options given."},
            )
            self.fields[f"consent_{dimension.code}"] = forms.BooleanField(
                required=False,
                label=identity.WORDING.format(scope=scope_label),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for dimension in self.dimensions:
            value = cleaned.get(f"identity_{dimension.code}")
            consent = cleaned.get(f"consent_{dimension.code}")
            if value and not consent:
                self.add_error(
                    f"consent_{dimension.code}",
                    "To share this answer, tick the box to agree. Or leave the question blank: "
                    "that is fine and changes nothing about your application.",
                )
            elif consent and not value:
                self.add_error(
                    f"identity_{dimension.code}",
                    "Choose an answer, or untick the box if you would rather not share this.",
                )
        return cleaned

    def groups(self) -> list[dict[str, Any]]:
        return [
            {
                "dimension": d,
                "answer": self[f"identity_{d.code}"],
                "consent": self[f"consent_{d.code}"],
            }
            for d in self.dimensions
        ]

    def values(self) -> dict[str, str]:
        return {
            d.code: self.cleaned_data[f"identity_{d.code}"]
            for d in self.dimensions
            if self.cleaned_data.get(f"identity_{d.code}")
        }

    def consents(self) -> set[str]:
        return {d.code for d in self.dimensions if self.cleaned_data.get(f"consent_{d.code}")}


class InvitationAccountForm(forms.Form):
    password1 = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        label="Choose a password",
        help_text="At least 10 characters, not a common password.",
    )
    password2 = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        label="The same password again",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("password1")
            and cleaned.get("password2")
            and cleaned["password1"] != cleaned["password2"]
        ):
            self.add_error("password2", "The two passwords are different.")
        return cleaned


class SideChoiceForm(forms.Form):
    side = forms.ChoiceField(choices=Side.choices, widget=forms.RadioSelect, label="Apply as")

    def __init__(self, *args: Any, sides: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "side").choices = [(s, label) for s, label in Side.choices if s in sides]
