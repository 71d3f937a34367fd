"""Sign-in sessions: recorded at sign-in so that all of an account's sessions can be ended.

Every session of a user ends when the account is deactivated (``is_active`` set to false through
``save()``, as the admin and every service do) or erased; ``user_sessions_end`` does it on demand.
"""

from __future__ import annotations

import time
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model

from .models import UserSession

AUTH_AT = "upward_auth_at"
SEEN_AT = "upward_seen_at"


def _store(session_key: str) -> Any:
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key=session_key)


def session_started(*, request: Any, user: Any) -> None:
    """Note a new sign-in: when it began, and which session belongs to whom."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = time.time()
    session[AUTH_AT] = now
    session[SEEN_AT] = now
    if session.session_key is None:
        session.save()
    UserSession.objects.update_or_create(
        session_key=session.session_key, defaults={"user_id": user.pk}
    )


def session_ended(*, request: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        UserSession.objects.filter(session_key=session.session_key).delete()


def user_sessions_end(*, user: Any) -> int:
    """End every session of a user, wherever they signed in. Returns how many were ended."""
    keys = list(UserSession.objects.filter(user_id=user.pk).values_list("session_key", flat=True))
    for key in keys:
        _store(key).delete()
    UserSession.objects.filter(user_id=user.pk).delete()
    return len(keys)


def _on_user_pre_save(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if instance.pk is None or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    was_active = get_user_model().objects.filter(pk=instance.pk, is_active=True).exists()
    if was_active:
        instance._upward_deactivated = True


def _on_user_post_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    if getattr(instance, "_upward_deactivated", False):
        del instance._upward_deactivated
        user_sessions_end(user=instance)


def _on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None:
        session_started(request=request, user=user)


def _on_logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None:
        session_ended(request=request)


def connect() -> None:
    from django.contrib.auth.signals import user_logged_in, user_logged_out
    from django.db.models.signals import post_save, pre_save

    user_model = get_user_model()
    pre_save.connect(_on_user_pre_save, sender=user_model, dispatch_uid="upward_deactivate_pre")
    post_save.connect(_on_user_post_save, sender=user_model, dispatch_uid="upward_deactivate_post")
    user_logged_in.connect(_on_logged_in, dispatch_uid="upward_session_started")
    user_logged_out.connect(_on_logged_out, dispatch_uid="upward_session_ended")


def stale_sessions_forget() -> int:
    """Forget session records older than the longest a session may last."""
    from datetime import timedelta

    from django.utils import timezone

    cutoff = timezone.now() - timedelta(seconds=settings.UPWARD_SESSION_MAX_AGE)
    return UserSession.objects.filter(created_at__lt=cutoff).delete()[0]
