"""Authentication backends whose ``get_user`` keeps the signed-in person's row between requests.

Every request reads its person's row (Django's ``get_user``); kept under the rule of kept
pages (``core.page_cache.remembered``, sealed), it is read again only once the users table has
been written: a password change, a deactivation or a new role flag is seen on the very next
request, as before. Django's checks that follow (the session's password hash, ``is_active``)
run on every request either way.
"""

from __future__ import annotations

from typing import Any

from allauth.account import auth_backends
from django.contrib.auth import backends

from upward.core import page_cache


def _kept_user(backend: Any, user_id: Any, load: Any) -> Any:
    return page_cache.remembered(
        f"user\x1f{type(backend).__name__}\x1f{user_id!r}", load, sealed=True
    )


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        return _kept_user(self, user_id, lambda: super(ModelBackend, self).get_user(user_id))


class AuthenticationBackend(auth_backends.AuthenticationBackend):
    """django-allauth's backend (preferred by its sign-in for the session), keeping the row."""

    def get_user(self, user_id: Any) -> Any:
        return _kept_user(
            self, user_id, lambda: super(AuthenticationBackend, self).get_user(user_id)
        )
