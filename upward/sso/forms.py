from __future__ import annotations

from typing import Any

from allauth.account.forms import ResetPasswordForm as _ResetPasswordForm
from django import forms

from upward.core.versioning import VersionField

from .models import SsoSetting


class SsoSettingForm(forms.Form):
    version = VersionField()
    enabled = forms.BooleanField(
        required=False, label="Sign our people in through our identity provider"
    )
    protocol = forms.ChoiceField(choices=SsoSetting.Protocol.choices, label="Protocol")
    oidc_server_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label="Issuer address (OpenID Connect)",
        help_text="For example https://login.example.com/realms/staff; Upward reads its "
        "/.well-known/openid-configuration.",
    )
    oidc_client_id = forms.CharField(required=False, max_length=200, label="Client id")
    oidc_client_secret = forms.CharField(
        required=False,
        max_length=500,
        label="Client secret",
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored encrypted and never shown again. Leave empty to keep the current one.",
    )
    saml_entity_id = forms.CharField(
        required=False, max_length=500, label="Identity provider's entity id (SAML)"
    )
    saml_metadata_url = forms.URLField(
        required=False, max_length=500, assume_scheme="https", label="Metadata address (SAML)"
    )
    saml_metadata_xml = forms.CharField(
        required=False,
        max_length=200_000,
        label="Or the metadata itself (SAML)",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    require_sso = forms.BooleanField(
        required=False,
        label="Require single sign-on for our people",
        help_text="They can no longer sign in or reset a password here; the identity provider "
        "does it.",
    )
    idp_handles_mfa = forms.BooleanField(
        required=False,
        label="Two-factor authentication is our identity provider's job",
        help_text="A sign-in through it is not asked for an Upward authenticator code, even for "
        "admins and coordinators. Turn this on only if the identity provider always asks for a "
        "second factor.",
    )
    link_by_email = forms.BooleanField(
        required=False,
        label="Link a first sign-in by verified email address",
    )
    employee_id_claim = forms.CharField(
        required=False,
        max_length=100,
        label="Link a first sign-in by employee id, read from this claim",
        help_text="For example employee_id. Leave empty not to link by employee id.",
    )


class ResetPasswordForm(_ResetPasswordForm):
    """An address of an organisation that requires single sign-on gets no reset link."""

    def clean_email(self) -> Any:
        from .selectors import setting_for_email

        email = super().clean_email()
        setting = setting_for_email(email)
        if setting is not None and setting.require_sso:
            raise forms.ValidationError(
                f"{setting.organisation.name} signs its people in through its identity "
                "provider, so there is no password to reset here. Use “Sign in with your "
                "organisation” on the sign-in page."
            )
        return email


class SsoStartForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        label="Your work email address",
        help_text="We find your organisation from it.",
    )
