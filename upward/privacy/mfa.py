"""Authenticator secrets (TOTP seeds, recovery-code seeds) encrypted at rest.

django-allauth stores them through its adapter's ``encrypt``/``decrypt``; here they use the same
Fernet keys as the encrypted model fields, so ``upward rotate-keys`` re-encrypts them too.
Secrets written before encryption was turned on are read as they are and encrypted on rotation.
"""

from __future__ import annotations

from allauth.mfa.adapter import DefaultMFAAdapter

from . import crypto


class EncryptingMFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        if encrypted_text.startswith(crypto.PREFIX):
            return crypto.decrypt(encrypted_text)
        return encrypted_text
