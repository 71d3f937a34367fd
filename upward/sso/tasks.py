"""Background work of single sign-on: when an organisation starts requiring it, the sessions
its people opened with a password end, so the rule holds at once and not only at the next
sign-in."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks import task

from upward.privacy.audit import audit_where


@task()
def sso_end_password_sessions(organisation_id: int) -> int:
    """End the database sessions of the organisation's people that did not come in through its
    single sign-on. Returns how many ended."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

    from upward.directory.models import Person

    from .models import SsoSetting

    setting = (
        SsoSetting.objects.select_related("organisation")
        .filter(organisation_id=organisation_id, enabled=True, require_sso=True)
        .first()
    )
    if setting is None:
        return 0
    user_ids = {
        str(pk)
        for pk in Person.objects.filter(
            organisation_id=organisation_id, user__isnull=False
        ).values_list("user_id", flat=True)
    }
    ended = 0
    with audit_where("task: sso_end_password_sessions"):
        sessions = Session.objects.filter(expire_date__gt=timezone.now())
        for session in sessions.iterator(chunk_size=2000):
            data = session.get_decoded()
            if data.get("_auth_user_id") not in user_ids:
                continue
            records = data.get(AUTHENTICATION_METHODS_SESSION_KEY) or []
            if any(
                r.get("method") == "socialaccount" and r.get("provider") == setting.provider_id
                for r in records
            ):
                continue
            session.delete()
            ended += 1
    return ended
