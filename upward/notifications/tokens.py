"""The unsubscribe link: one per person and category, signed with the site's secret key so that
nobody can make one for someone else, and valid for a year (an old email still works, an
ancient one does not)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing

from .catalogue import CATEGORIES

SALT = "upward.notifications.unsubscribe"
# Not a category: the link under a daily digest stops the digest (every category sent in it).
WHOLE_DIGEST = "digest"
MAX_AGE = dt.timedelta(days=365)


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    category: str


def unsubscribe_token(*, user_id: int, category: str) -> str:
    return signing.dumps([user_id, category], salt=SALT)


def read_token(token: str) -> Unsubscribe | None:
    """The person and category a link stands for; None for a forged, altered or expired one."""
    if not token or len(token) > 300:
        return None
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or (value[1] not in CATEGORIES and value[1] != WHOLE_DIGEST)
    ):
        return None
    return Unsubscribe(user_id=value[0], category=value[1])
