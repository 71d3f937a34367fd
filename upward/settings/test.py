"""Settings for the test suite: background tasks run at once, fast password hashing."""

from .base import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
UPWARD_WEBHOOK_ALLOW_LOOPBACK_HTTP = True
# One log line per request is for operators; the tests that check it raise the level.
LOGGING = {**LOGGING, "loggers": {"upward.request": {"level": "WARNING"}}}  # noqa: F405
UPWARD_SSO_ALLOW_LOOPBACK_HTTP = True
# The suite runs with kept pages on (one process, one cache), so every page test also checks
# that a kept page is never served once what it shows has changed.
UPWARD_PAGE_CACHE = True
