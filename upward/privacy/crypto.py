"""Encryption at rest for special-category data, notes, reflections and concerns.

Keys come from ``FIELD_ENCRYPTION_KEYS`` (a list of Fernet keys, newest first), which is kept
apart from SECRET_KEY. Values encrypted with an older key still decrypt; ``upward rotate-keys``
re-encrypts them with the newest. Equality look-ups on an encrypted value use a keyed hash
(HMAC-SHA256 with ``FIELD_HASH_KEY``), so the plaintext is never stored.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc1:"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(f"A FIELD_ENCRYPTION_KEYS entry is not a Fernet key: {exc}") from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return PREFIX + fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("Value is not encrypted with Upward's field encryption.")
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError(
            "Cannot decrypt a stored value: the key it was written with is not in "
            "FIELD_ENCRYPTION_KEYS."
        ) from exc


def rotate(stored: str) -> str:
    """Re-encrypt with the newest key (a no-op in meaning; the ciphertext changes)."""
    return PREFIX + fernet().rotate(stored[len(PREFIX) :].encode("ascii")).decode("ascii")


def needs_rotation(stored: str) -> bool:
    """True when the value was not written with the newest key."""
    newest = Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode())
    try:
        newest.decrypt(stored[len(PREFIX) :].encode("ascii"))
    except InvalidToken:
        return True
    return False


def keyed_hash(value: str) -> str:
    """A stable keyed hash for equality look-ups; reveals nothing without FIELD_HASH_KEY."""
    key = settings.FIELD_HASH_KEY.encode("utf-8")
    normalised = value.strip().casefold().encode("utf-8")
    return hmac.new(key, normalised, hashlib.sha256).hexdigest()
