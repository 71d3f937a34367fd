"""Forms of recognition's pages."""

from __future__ import annotations

from django import forms

from upward.core.versioning import VersionField

from .models import MAX_MEETINGS
from .services import MAX_REASON, MAX_STORY, MAX_TITLE


class RulesForm(forms.Form):
    agreement_signed = forms.BooleanField(required=False, label="Signed the mentoring agreement")
    training_done = forms.BooleanField(required=False, label="Finished the required training")
    min_meetings = forms.IntegerField(
        min_value=0,
        max_value=MAX_MEETINGS,
        label="Meetings held, at least",
        help_text="0 for no such rule.",
    )
    final_checkin = forms.BooleanField(required=False, label="Answered the final check-in")
    version = VersionField()


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 2}), label="Reason"
    )


class StoryForm(forms.Form):
    title = forms.CharField(max_length=MAX_TITLE)
    body = forms.CharField(
        max_length=MAX_STORY, widget=forms.Textarea(attrs={"rows": 8}), label="The story"
    )
    anonymised = forms.BooleanField(
        required=False,
        label="Anonymised",
        help_text="No names, roles or departments: it is checked before anyone can agree to it.",
    )


class StoryEditForm(StoryForm):
    version = VersionField()


class VerifyForm(forms.Form):
    code = forms.CharField(
        max_length=64,
        label="Verification code",
        help_text="As printed on the certificate, for example ABCD-EFGH-IJKL-MNOP.",
    )
