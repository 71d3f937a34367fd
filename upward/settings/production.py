"""Production settings: refuse to start with any insecure default.

Set ``DJANGO_SETTINGS_MODULE=upward.settings.production`` and provide ``SECRET_KEY``,
``ALLOWED_HOSTS``, ``DATABASE_URL`` (PostgreSQL), the field keys and ``EMAIL_HOST`` in the
environment (docs/deployment.md).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL, env_bool, env_list

_problems = []
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    _problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    _problems.append("ALLOWED_HOSTS must name the site's host names (no '*')")
if not os.environ.get("FIELD_ENCRYPTION_KEYS"):
    _problems.append("FIELD_ENCRYPTION_KEYS must hold at least one Fernet key")
if len(os.environ.get("FIELD_HASH_KEY", "")) < 32:
    _problems.append("FIELD_HASH_KEY must be set to a random value of at least 32 characters")
if not os.environ.get("DATABASE_URL"):
    _problems.append("DATABASE_URL must point at the production database")
if not os.environ.get("EMAIL_HOST") and not os.environ.get("EMAIL_BACKEND"):
    _problems.append(
        "EMAIL_HOST must name the SMTP server that sends invitations and password links"
    )
# SQLite lets one process write at a time; several gunicorn workers and a task worker would
# queue behind each other's writes. Only an explicit single-process deployment may use it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env_bool(
    "UPWARD_SINGLE_PROCESS"
):
    _problems.append(
        "DATABASE_URL must point at PostgreSQL: SQLite allows one writer at a time, so it is "
        "refused unless the deployment runs a single process (set UPWARD_SINGLE_PROCESS=1)"
    )
if os.environ.get("DEBUG", "").lower() in {"1", "true", "yes", "on"}:
    _problems.append("DEBUG must be off in production")
if _problems:
    raise ImproperlyConfigured("Upward will not start: " + "; ".join(_problems) + ".")

DEBUG = False
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS") or [f"https://{h}" for h in ALLOWED_HOSTS]
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

SECURE_SSL_REDIRECT = True
# Load balancers and orchestrators check health over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# SESSION_COOKIE_AGE follows UPWARD_SESSION_MAX_HOURS (base settings).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# One cache shared by every process: allauth keeps used authenticator codes and failed sign-in
# attempts there, so a per-process cache would let one code work once per worker. Redis when
# REDIS_URL is set (base settings); otherwise a database table, which `migrate` creates.
if not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "upward_cache",
            "KEY_PREFIX": "upward",
        }
    }
# Kept pages (core.page_cache) publish a table's new generation from inside the statement that
# wrote it; a cache in the same database would write there too, mid-statement. They need Redis.
if UPWARD_PAGE_CACHE and not REDIS_URL:  # noqa: F405
    raise ImproperlyConfigured(
        "UPWARD_PAGE_CACHE needs REDIS_URL: kept pages need a cache outside the database."
    )
