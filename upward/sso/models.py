"""An organisation's single sign-on: which identity provider signs its people in, whether they
must use it, and how a first sign-in finds the person's account.

The provider itself is an allauth ``SocialApp`` (provider ``openid_connect`` or ``saml``,
``provider_id`` ``org-<slug>``) that ``services.sso_configure`` keeps in step with this record.
The client secret lives only here, encrypted at rest; the adapter hands it to allauth when a
sign-in needs it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from upward.core.versioning import Versioned
from upward.directory.models import Organisation
from upward.privacy.fields import EncryptedTextField


class SsoSetting(Versioned):
    class Protocol(models.TextChoices):
        OIDC = "oidc", "OpenID Connect"
        SAML = "saml", "SAML 2.0"

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="sso_setting"
    )
    enabled = models.BooleanField(default=False)
    protocol = models.CharField(max_length=4, choices=Protocol.choices, default=Protocol.OIDC)
    oidc_server_url = models.URLField(
        max_length=500, blank=True, help_text="The issuer, or its discovery document's address."
    )
    oidc_client_id = models.CharField(max_length=200, blank=True)
    oidc_client_secret = EncryptedTextField(blank=True)
    saml_metadata_url = models.URLField(max_length=500, blank=True)
    saml_metadata_xml = models.TextField(blank=True)
    saml_entity_id = models.CharField(max_length=500, blank=True)
    require_sso = models.BooleanField(
        default=False, help_text="People of the organisation cannot sign in with a password."
    )
    idp_handles_mfa = models.BooleanField(
        default=False,
        help_text="A sign-in through this provider counts as the second factor.",
    )
    link_by_email = models.BooleanField(
        default=True, help_text="A first sign-in finds the account by its verified email."
    )
    employee_id_claim = models.CharField(
        max_length=100,
        blank=True,
        help_text="The claim (or SAML attribute) holding the directory's employee id.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Single sign-on of {self.organisation}"

    @property
    def provider_id(self) -> str:
        return provider_id_for(self.organisation)


def provider_id_for(organisation: Organisation) -> str:
    return f"org-{organisation.slug}"
