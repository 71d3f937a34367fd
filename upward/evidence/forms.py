"""Forms of evidence pages: setting up a campaign (the answers themselves are checked by the
instrument, see ``instruments.check_answers``)."""

from __future__ import annotations

from django import forms

from .models import INSTRUMENT_CHOICES, Campaign


class CampaignForm(forms.Form):
    title = forms.CharField(max_length=200)
    instrument = forms.ChoiceField(choices=INSTRUMENT_CHOICES)
    stage = forms.ChoiceField(choices=Campaign.Stage.choices)
    audience = forms.ChoiceField(choices=Campaign.Audience.choices)
    side = forms.ChoiceField(
        choices=[("", "Both sides"), ("leader", "Leaders"), ("mentor", "Mentors")], required=False
    )
    opens_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    reminder_every_days = forms.IntegerField(min_value=1, max_value=60, initial=7)
