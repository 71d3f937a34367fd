from __future__ import annotations

from typing import Any

from django import forms

from upward.core.bounds import BoundedDateField

from .models import WebhookEndpoint
from .scopes import SCOPES, scope_label
from .webhooks import EVENTS


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="So you can recognise it later.")
    acts_for = forms.ChoiceField(
        label="Acts as",
        help_text="A service token acts with your admin role in the organisation, and nothing "
        "else you may do.",
    )
    scopes = forms.MultipleChoiceField(
        choices=[(s, scope_label(s)) for s in SCOPES], widget=forms.CheckboxSelectMultiple
    )
    expires_on = BoundedDateField(
        label="Expires on",
        help_text="At most a year from today.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["acts_for"].choices = [  # type: ignore[attr-defined]
            ("", "Me (a personal token)"),
            *[(pk, f"{o.name} (a service token)") for pk, o in self.organisations.items()],
        ]
        self.fields["acts_for"].required = False


class WebhookForm(forms.Form):
    url = forms.CharField(
        label="Address", max_length=500, help_text="An https:// address that receives the events."
    )
    events = forms.MultipleChoiceField(
        choices=list(EVENTS.items()), widget=forms.CheckboxSelectMultiple
    )
    format = forms.ChoiceField(choices=WebhookEndpoint.Format.choices, initial="json")
