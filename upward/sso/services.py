"""Writes of single sign-on: an organisation's admin configures its identity provider.

``sso_configure`` checks everything first and then, in one transaction, saves the setting and
keeps allauth's ``SocialApp`` in step: one app per organisation (``provider_id`` ``org-<slug>``)
for the chosen protocol, none when sign-on is off. A refused configuration changes nothing.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.db import transaction

from upward.core.errors import RuleBroken
from upward.core.versioning import claim_version
from upward.directory.models import Organisation

from .models import SsoSetting, provider_id_for

log = logging.getLogger(__name__)

_CLAIM_NAME = re.compile(r"^[A-Za-z0-9_.:/\-]{1,100}$")
MAX_METADATA_XML = 200_000


class SsoRefused(RuleBroken):
    """A single sign-on configuration or sign-in that the rules refuse; nothing changed."""


@dataclass(frozen=True)
class SsoInput:
    enabled: bool
    protocol: str
    oidc_server_url: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""  # blank keeps the stored one
    saml_metadata_url: str = ""
    saml_metadata_xml: str = ""
    saml_entity_id: str = ""
    require_sso: bool = False
    idp_handles_mfa: bool = False
    link_by_email: bool = True
    employee_id_claim: str = ""


def setting_for(organisation: Organisation) -> SsoSetting:
    setting, _ = SsoSetting.objects.get_or_create(organisation=organisation)
    return setting


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_provider_url(url: str, *, what: str) -> None:
    """A provider's address must be a well-formed https URL (http only to this machine's
    loopback, in development and tests)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise SsoRefused(f"The {what} must be a full web address, such as https://idp.example.com.")
    if parts.username or parts.password:
        raise SsoRefused(f"The {what} must not carry a user name or password.")
    if parts.scheme == "http":
        loopback_ok = settings.DEBUG or getattr(settings, "UPWARD_SSO_ALLOW_LOOPBACK_HTTP", False)
        if not (loopback_ok and _is_loopback(parts.hostname)):
            raise SsoRefused(f"The {what} must start with https://, so that sign-ins are private.")


def _saml_idp_from_xml(xml: str) -> dict[str, Any]:
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

    if len(xml) > MAX_METADATA_XML:
        raise SsoRefused(
            "The identity provider's metadata is too long (200,000 characters at most)."
        )
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(xml)
    except Exception as exc:  # lxml and the parser raise several kinds on bad XML
        raise SsoRefused("The identity provider's metadata is not readable SAML metadata.") from exc
    idp = parsed.get("idp") or {}
    sso_url = (idp.get("singleSignOnService") or {}).get("url")
    cert = idp.get("x509cert") or ""
    if not cert and idp.get("x509certMulti"):
        cert = (idp["x509certMulti"].get("signing") or [""])[0]
    if not idp.get("entityId") or not sso_url or not cert:
        raise SsoRefused(
            "The identity provider's metadata must name its entity id, its sign-on address and "
            "its signing certificate."
        )
    check_provider_url(sso_url, what="sign-on address in the metadata")
    result = {"entity_id": idp["entityId"], "sso_url": sso_url, "x509cert": cert}
    slo_url = (idp.get("singleLogoutService") or {}).get("url")
    if slo_url:
        result["slo_url"] = slo_url
    return result


def _check(data: SsoInput, setting: SsoSetting) -> dict[str, Any]:
    """Refuse a bad configuration before anything is written; return the SAML IdP settings."""
    if data.protocol not in SsoSetting.Protocol.values:
        raise SsoRefused("Choose OpenID Connect or SAML.")
    if data.employee_id_claim and not _CLAIM_NAME.match(data.employee_id_claim):
        raise SsoRefused(
            "The employee id claim is a name such as employee_id: letters, digits and _ . : / -."
        )
    if not data.link_by_email and not data.employee_id_claim:
        raise SsoRefused(
            "Say how a first sign-in finds the person: by verified email, by employee id, or both."
        )
    if data.require_sso and not data.enabled:
        raise SsoRefused("Single sign-on must be on before it can be required.")
    if data.idp_handles_mfa and not data.enabled:
        raise SsoRefused("Single sign-on must be on before the identity provider can vouch for it.")
    if not data.enabled:
        return {}
    if data.protocol == SsoSetting.Protocol.OIDC:
        if not data.oidc_server_url:
            raise SsoRefused("Give the identity provider's issuer address.")
        check_provider_url(data.oidc_server_url, what="issuer address")
        if not data.oidc_client_id.strip():
            raise SsoRefused("Give the client id that the identity provider issued to Upward.")
        if not (data.oidc_client_secret or setting.oidc_client_secret):
            raise SsoRefused("Give the client secret that the identity provider issued to Upward.")
        return {}
    if not data.saml_entity_id.strip():
        raise SsoRefused("Give the identity provider's entity id.")
    if bool(data.saml_metadata_url) == bool(data.saml_metadata_xml.strip()):
        raise SsoRefused("Give either the metadata address or the metadata itself, not both.")
    if data.saml_metadata_url:
        check_provider_url(data.saml_metadata_url, what="metadata address")
        return {"entity_id": data.saml_entity_id.strip(), "metadata_url": data.saml_metadata_url}
    idp = _saml_idp_from_xml(data.saml_metadata_xml)
    if idp["entity_id"] != data.saml_entity_id.strip():
        raise SsoRefused("The entity id does not match the one in the metadata.")
    return idp


def _sync_apps(setting: SsoSetting, saml_idp: dict[str, Any]) -> None:
    organisation = setting.organisation
    provider_id = provider_id_for(organisation)
    apps = SocialApp.objects.filter(provider_id=provider_id)
    if not setting.enabled:
        apps.delete()
        return
    if setting.protocol == SsoSetting.Protocol.OIDC:
        apps.exclude(provider="openid_connect").delete()
        SocialApp.objects.update_or_create(
            provider="openid_connect",
            provider_id=provider_id,
            defaults={
                "name": organisation.name,
                "client_id": setting.oidc_client_id,
                # The secret stays encrypted in SsoSetting; the adapter supplies it when needed.
                "secret": "",  # nosec B105  # empty: the secret is kept encrypted elsewhere
                "settings": {"server_url": setting.oidc_server_url, "oauth_pkce_enabled": True},
            },
        )
        return
    apps.exclude(provider="saml").delete()
    SocialApp.objects.update_or_create(
        provider="saml",
        provider_id=provider_id,
        defaults={
            "name": organisation.name,
            "client_id": organisation.slug,
            "secret": "",  # nosec B105  # SAML has no client secret
            # allauth's default attribute names: the subject id (else the NameID) as the uid,
            # the standard email attributes, and an email counted as verified only if the
            # provider says so.
            "settings": {
                "idp": saml_idp,
                "advanced": {
                    "want_assertion_signed": True,
                    "want_message_signed": False,
                    "reject_idp_initiated_sso": True,
                },
            },
        },
    )


def sso_configure(
    *, organisation: Organisation, data: SsoInput, expected_version: int, by: Any
) -> SsoSetting:
    setting = setting_for(organisation)
    saml_idp = _check(data, setting)
    newly_required = data.enabled and data.require_sso and not setting.require_sso
    with transaction.atomic():
        setting = SsoSetting.objects.select_for_update().get(pk=setting.pk)
        claim_version(setting, expected_version=expected_version, what="the single sign-on setting")
        setting.enabled = data.enabled
        setting.protocol = data.protocol
        setting.oidc_server_url = data.oidc_server_url
        setting.oidc_client_id = data.oidc_client_id.strip()
        if data.oidc_client_secret:
            setting.oidc_client_secret = data.oidc_client_secret
        setting.saml_metadata_url = data.saml_metadata_url
        setting.saml_metadata_xml = data.saml_metadata_xml.strip()
        setting.saml_entity_id = data.saml_entity_id.strip()
        setting.require_sso = data.require_sso
        setting.idp_handles_mfa = data.idp_handles_mfa
        setting.link_by_email = data.link_by_email
        setting.employee_id_claim = data.employee_id_claim
        setting.updated_by = by if getattr(by, "pk", None) else None
        setting.save()
        _sync_apps(setting, saml_idp)
        if newly_required:
            from .tasks import sso_end_password_sessions

            transaction.on_commit(lambda: sso_end_password_sessions.enqueue(organisation.pk))
    log.info(
        "Single sign-on of organisation %s saved (on: %s, required: %s)",
        organisation.pk,
        setting.enabled,
        setting.require_sso,
    )
    return setting
