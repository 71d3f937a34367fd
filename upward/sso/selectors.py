"""Reads of single sign-on: whose sign-in goes through which organisation's identity provider."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from upward.directory.models import Person

from .models import SsoSetting

PROVIDER_PREFIX = "org-"


def setting_for_provider(provider_id: str) -> SsoSetting | None:
    """The switched-on setting behind an allauth provider id (``org-<slug>``)."""
    if not provider_id.startswith(PROVIDER_PREFIX):
        return None
    return (
        SsoSetting.objects.select_related("organisation")
        .filter(organisation__slug=provider_id.removeprefix(PROVIDER_PREFIX), enabled=True)
        .first()
    )


def setting_for_slug(slug: str) -> SsoSetting | None:
    return (
        SsoSetting.objects.select_related("organisation")
        .filter(organisation__slug=slug, enabled=True)
        .first()
    )


def setting_for_email(email: str) -> SsoSetting | None:
    """The switched-on setting of the organisation whose email domain this address has."""
    _, _, domain = email.strip().rpartition("@")
    if not domain:
        return None
    return (
        SsoSetting.objects.select_related("organisation")
        .filter(organisation__email_domain__iexact=domain, enabled=True)
        .first()
    )


def setting_for_user(user: Any) -> SsoSetting | None:
    """The switched-on setting of the organisation in whose directory this user is."""
    if not getattr(user, "pk", None):
        return None
    person = Person.objects.filter(user_id=user.pk).only("organisation_id").first()
    if person is None:
        return None
    return (
        SsoSetting.objects.select_related("organisation")
        .filter(organisation_id=person.organisation_id, enabled=True)
        .first()
    )


def password_refused_by(user: Any) -> SsoSetting | None:
    """The setting that forbids this user a password sign-in, if their organisation requires
    single sign-on."""
    setting = setting_for_user(user)
    return setting if setting is not None and setting.require_sso else None


def idp_vouches_for_login(provider_id: str, user: Any) -> bool:
    """A sign-in through ``provider_id`` counts as the second factor for ``user``: the
    organisation says its identity provider does two-factor, and the user is its person."""
    setting = setting_for_provider(provider_id)
    return bool(
        setting is not None
        and setting.idp_handles_mfa
        and Person.objects.filter(user_id=user.pk, organisation_id=setting.organisation_id).exists()
    )


def idp_vouches(request: HttpRequest, user: Any) -> bool:
    """This session came in through the user's organisation's single sign-on, and the
    organisation says its identity provider does the second factor."""
    from allauth.account.authentication import get_authentication_records

    for record in get_authentication_records(request, user):
        if record.get("method") == "socialaccount" and idp_vouches_for_login(
            str(record.get("provider", "")), user
        ):
            return True
    return False
