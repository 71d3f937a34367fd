"""Writes and checks of API tokens: create (the secret shown once), revoke, and authenticate a
bearer token with its rate limit and its at-most-once-a-minute record of use."""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from upward.accounts import permissions
from upward.accounts.models import Role, RoleGrant

from .errors import IntegrationRuleBroken, TokenRateLimited, TokenRefused
from .models import ApiToken
from .scopes import SCOPES

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "upw_"  # noqa: S105  # nosec B105  # a prefix, not a secret
SHOWN_PREFIX_LENGTH = 12
MAX_LIFETIME_DAYS = 365
USE_RECORD_SECONDS = 60


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def _check_scopes(scopes: list[str]) -> list[str]:
    if not scopes:
        raise IntegrationRuleBroken("Choose at least one scope: what the token may read or change.")
    unknown = sorted({s for s in scopes if s not in SCOPES})
    if unknown:
        raise IntegrationRuleBroken(
            f"Unknown scope {', '.join(repr(s) for s in unknown)}: use {', '.join(SCOPES)}."
        )
    return [s for s in SCOPES if s in scopes]


def _check_expiry(expires_on: date | None) -> datetime:
    today = timezone.now().astimezone(UTC).date()
    if expires_on is None:
        raise IntegrationRuleBroken("Choose the day the token expires (at most a year ahead).")
    if expires_on <= today:
        raise IntegrationRuleBroken("Choose an expiry day after today.")
    if expires_on > today + timedelta(days=MAX_LIFETIME_DAYS):
        raise IntegrationRuleBroken("A token lasts at most a year: choose an earlier expiry day.")
    return datetime.combine(expires_on, datetime.max.time().replace(microsecond=0), tzinfo=UTC)


def token_create(
    *,
    owner: Any,
    name: str,
    scopes: list[str],
    expires_on: date | None,
    second_factor_passed: bool,
    organisation: Any = None,
) -> tuple[ApiToken, str]:
    """A new token and its secret (shown once, never stored). With ``organisation`` it is a
    service token of that organisation, which only its admins may create; it acts with the
    admin role there and nothing else."""
    name = (name or "").strip()
    if not name:
        raise IntegrationRuleBroken("Give the token a name, so you can recognise it later.")
    if len(name) > 100:
        raise IntegrationRuleBroken("Keep the name to 100 characters at most.")
    chosen = _check_scopes(list(scopes))
    expires_at = _check_expiry(expires_on)
    if permissions.is_privileged(owner) and not second_factor_passed:
        raise IntegrationRuleBroken(
            "Sign in again with your authenticator code before creating a token."
        )
    if organisation is not None and not permissions.can_admin_organisation(owner, organisation):
        raise IntegrationRuleBroken("Only an admin of the organisation can create its tokens.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken(
            owner=owner,
            organisation=organisation,
            kind=ApiToken.Kind.SERVICE if organisation is not None else ApiToken.Kind.PERSONAL,
            name=name,
            prefix=secret[:SHOWN_PREFIX_LENGTH],
            secret_hash=hash_secret(secret),
            scopes=chosen,
            expires_at=expires_at,
        )
        token._change_reason = "token created"  # type: ignore[attr-defined]
        token.save()
    logger.info("token %s created by user %s", token.pk, getattr(owner, "pk", None))
    return token, secret


def may_manage(user: Any, token: ApiToken) -> bool:
    if token.owner_id == getattr(user, "pk", None):
        return True
    return token.organisation is not None and permissions.can_admin_organisation(
        user, token.organisation
    )


def token_revoke(*, token: ApiToken, by: Any) -> ApiToken:
    """Revoke a token at once: its next request answers 401. Its owner may revoke it, and an
    admin of the organisation may revoke its service tokens."""
    if not may_manage(by, token):
        raise IntegrationRuleBroken("You can revoke only your own tokens.")
    with transaction.atomic():
        current = ApiToken.objects.select_for_update().get(pk=token.pk)
        if current.revoked_at is not None:
            raise IntegrationRuleBroken("This token was already revoked.")
        current.revoked_at = timezone.now()
        current.revoked_by = by
        current._change_reason = "token revoked"  # type: ignore[attr-defined]
        current.save(update_fields=["revoked_at", "revoked_by"])
    token.revoked_at, token.revoked_by = current.revoked_at, current.revoked_by
    return token


def token_find(secret: str) -> ApiToken:
    """The live token behind a bearer secret, or ``TokenRefused`` saying why not."""
    secret = (secret or "").strip()
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        raise TokenRefused("This is not an Upward token: send Authorization: Bearer upw_….")
    token = (
        ApiToken.objects.select_related("owner", "organisation")
        .filter(secret_hash=hash_secret(secret))
        .first()
    )
    if token is None:
        raise TokenRefused("This token is not valid.")
    if token.revoked_at is not None:
        raise TokenRefused("This token was revoked.")
    if token.expires_at <= timezone.now():
        raise TokenRefused("This token has expired: create a new one.")
    if not token.owner.is_active:
        raise TokenRefused("The account this token belongs to is no longer active.")
    if token.organisation is not None and not permissions.can_admin_organisation(
        token.owner, token.organisation
    ):
        raise TokenRefused(
            "Whoever created this service token is no longer an admin of its organisation."
        )
    return token


def rate_check(token: ApiToken) -> None:
    """A fixed window per token: at most UPWARD_TOKEN_RATE_LIMIT requests per window."""
    limit = settings.UPWARD_TOKEN_RATE_LIMIT
    window = settings.UPWARD_TOKEN_RATE_WINDOW_SECONDS
    now = time.time()
    start = int(now // window) * window
    key = f"upward:token-rate:{token.pk}:{start}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    if count > limit:
        raise TokenRateLimited(retry_after=max(1, math.ceil(start + window - now)))


def acting_user(token: ApiToken) -> Any:
    """The user a request with this token runs as: its owner, so every permission check
    applies. A service token holds only its owner's admin role in its organisation."""
    user = token.owner
    if token.organisation_id is not None:
        user._upward_grants = list(  # type: ignore[attr-defined]  # permissions' cache of roles
            RoleGrant.objects.filter(
                user=user, role=Role.ORG_ADMIN, organisation_id=token.organisation_id
            )
        )
    return user


def token_touch(token: ApiToken) -> None:
    """Record the token's use: last used time and an audit row, at most once a minute."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=USE_RECORD_SECONDS)
    if token.last_used_at is not None and token.last_used_at > cutoff:
        return
    if not cache.add(f"upward:token-used:{token.pk}", 1, timeout=USE_RECORD_SECONDS):
        return
    claimed = (
        ApiToken.objects.filter(pk=token.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=cutoff))
        .update(last_used_at=now)
    )
    if claimed:
        # Saved again through the model so that the use is in the token's audit history.
        token.last_used_at = now
        token._change_reason = "token used"  # type: ignore[attr-defined]
        token.save(update_fields=["last_used_at"])
