"""Settings shared by every environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("UPWARD_DATA_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _local_secret(filename: str) -> str:
    """A secret generated once and kept in the local data folder (development only)."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / filename
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", True)


def _local_fernet_key() -> str:
    from cryptography.fernet import Fernet

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "field_key"
    if not path.exists():
        path.write_text(Fernet.generate_key().decode())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret("secret_key")
# Keys for encrypting special-category data at rest, newest first; kept apart from SECRET_KEY.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS") or [_local_fernet_key()]
FIELD_HASH_KEY = os.environ.get("FIELD_HASH_KEY") or _local_secret("field_hash_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Single sign-on per organisation (upward.sso): OpenID Connect and SAML identity providers.
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "django_tasks",
    "django_tasks_db",
    # RQ on Redis for scale-out (UPWARD_TASK_BACKEND=rq): django-rq holds the queue settings.
    "django_rq",
    "django_tasks_rq",
    "simple_history",
    "axes",
    "django_prometheus",
    "csp",
    # The API's documentation pages with their own static files (no CDN, no inline script).
    "ninja",
    "upward.core",
    "upward.accounts",
    "upward.directory",
    "upward.programmes",
    "upward.privacy",
    "upward.consent",
    "upward.matches",
    "upward.pairs",
    "upward.preparation",
    "upward.support",
    "upward.evidence",
    "upward.running",
    "upward.integrations",
    "upward.notifications",
    "upward.cohort",
    "upward.accountability",
    "upward.recognition",
    "upward.sso",
]

MIDDLEWARE = [
    # First: the request id and the one JSON log line of each request (core.observability).
    "upward.core.observability.RequestLog",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything is read: the clock a kept page is checked against (core.page_cache).
    "upward.core.page_cache.PageCacheClock",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "upward.privacy.middleware.SessionLifetime",
    "upward.accounts.middleware.RequireMfaForPrivilegedRoles",
    "upward.core.middleware.NoStoreForSignedInPages",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A view that cannot get SQLite's write lock answers 503 with Retry-After.
    "upward.core.middleware.DatabaseBusy",
    # Last, so it sees the outcome of a sign-in and answers a locked-out one.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # After every access check, and after Prometheus has counted the request by view: serve a
    # kept copy of a busy page, or keep this one.
    "upward.core.page_cache.PageCache",
]

ROOT_URLCONF = "upward.urls"
WSGI_APPLICATION = "upward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "upward.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'upward.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes; the timeout rides out
    # short write locks instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # First: refuses sign-in attempts from a locked-out account and address (django-axes).
    "upward.privacy.throttling.LoginThrottleBackend",
    # Django's and allauth's, keeping the signed-in person's row between requests until the
    # users table is written (accounts.backends, core.page_cache).
    "upward.accounts.backends.ModelBackend",
    "upward.accounts.backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: email + password; accounts are created by the organisation, not by
# open sign-up, so a stranger cannot enrol themselves into a programme.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "upward.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
# Confirming who you are before a sensitive change (email, authenticator) takes the password or
# the authenticator, never a code sent by email: a mailbox is not a second factor.
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
UPWARD_OPEN_SIGNUP = env_bool("UPWARD_OPEN_SIGNUP", False)
ACCOUNT_FORMS = {"reset_password": "upward.sso.forms.ResetPasswordForm"}  # nosec B105  # a form class name
# Single sign-on (upward.sso): nobody is created by a sign-in; the adapter links an identity to
# an account of the organisation's directory, or refuses it. Tokens are not kept.
SOCIALACCOUNT_ADAPTER = "upward.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
# Only for tests and development: lets an identity provider live at http://127.0.0.1.
UPWARD_SSO_ALLOW_LOOPBACK_HTTP = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Authenticator secrets are encrypted with FIELD_ENCRYPTION_KEYS, like special-category data.
MFA_ADAPTER = "upward.privacy.mfa.EncryptingMFAAdapter"
MFA_TOTP_ISSUER = "Upward"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
# Our own wording of third-party strings (sentence case on the sign-in and two-factor pages).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Upward <upward@localhost>")
# The site's address (https://upward.example.org) for links in emails sent by background work,
# such as the daily digest and its unsubscribe link; a page's own request gives it otherwise.
UPWARD_SITE_URL = os.environ.get("UPWARD_SITE_URL", "")
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "upward.core.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "upward",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The busiest pages are kept as rendered until a table they read changes (core.page_cache).
# On by default where the cache is shared by every process (Redis, or the database cache in
# production); a process-local cache would let one process serve what another made stale.
UPWARD_PAGE_CACHE = env_bool("UPWARD_PAGE_CACHE", default=bool(REDIS_URL))
UPWARD_PAGE_CACHE_SECONDS = int(os.environ.get("UPWARD_PAGE_CACHE_SECONDS", "60") or 60)

# Background work: the database worker by default, RQ on Redis for scale-out (django-tasks-rq).
# Either way a worker starts with `upward worker`.
TASK_BACKEND = os.environ.get("UPWARD_TASK_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "rq": "django_tasks_rq.RQBackend",
        }[TASK_BACKEND],
        "QUEUES": ["default"],
    }
}
# The queues RQ workers take jobs from; results and failures are kept a week for the task pages.
RQ_QUEUES = {
    "default": {
        "URL": REDIS_URL or "redis://127.0.0.1:6379/0",
        "DEFAULT_RESULT_TTL": 7 * 24 * 3600,
    }
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value <= 0:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{name} must be greater than zero.")
    return value


# Sessions end after this long without a request, and in any case this long after sign-in.
UPWARD_SESSION_IDLE_TIMEOUT = 60 * env_int("UPWARD_SESSION_IDLE_MINUTES", 30)
UPWARD_SESSION_MAX_AGE = 60 * 60 * env_int("UPWARD_SESSION_MAX_HOURS", 8)
SESSION_COOKIE_AGE = UPWARD_SESSION_MAX_AGE

# Content Security Policy (django-csp): only this site's own scripts, styles and images;
# no inline script or style, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failures for one account from
# one address, that pair is locked out for the cool-off period.
AXES_FAILURE_LIMIT = env_int("UPWARD_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("UPWARD_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "upward.privacy.throttling.login_username"
AXES_LOCKOUT_TEMPLATE = "privacy/locked_out.html"
# Trust X-Forwarded-For only when told how many proxies stand in front of the site.
UPWARD_TRUSTED_PROXY_COUNT = int(os.environ.get("UPWARD_TRUSTED_PROXY_COUNT", "0") or 0)
if UPWARD_TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = UPWARD_TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Personal data of an ended programme is deleted this many days after its end date.
UPWARD_RETENTION_DAYS = env_int("UPWARD_RETENTION_DAYS", 365)

UPWARD_DEMO_DOMAIN = "demo.upward.test"

# One JSON object per log line (structlog), each with the request id; no personal data
# (core.observability). UPWARD_LOG_FORMAT=plain gives plain lines for local reading.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "upward.core.observability.json_formatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({} if os.environ.get("UPWARD_LOG_FORMAT") == "plain" else {"formatter": "json"}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # One line per request at INFO; LOG_LEVEL=WARNING keeps only the errors.
        "upward.request": {"level": os.environ.get("UPWARD_REQUEST_LOG_LEVEL", "INFO")},
    },
}

# Prometheus metrics at /metrics for a scraper that sends `Authorization: Bearer <token>`;
# without a token set the endpoint answers 404.
UPWARD_METRICS_TOKEN = os.environ.get("UPWARD_METRICS_TOKEN", "")

# Directory imports: people written per transaction (other writers wait for one batch at most),
# and how long a working import may go without its worker's heartbeat before it counts as dead.
UPWARD_IMPORT_BATCH_SIZE = env_int("UPWARD_IMPORT_BATCH_SIZE", 2000)
UPWARD_IMPORT_STALE_SECONDS = env_int("UPWARD_IMPORT_STALE_SECONDS", 300)

# Hours a concern's handler has to answer before it is flagged overdue and escalated.
UPWARD_CONCERN_RESPONSE_HOURS = env_int("UPWARD_CONCERN_RESPONSE_HOURS", 72)
# A mentor's strain counted as high (1 to 5), and how many answers in a row raise a flag.
UPWARD_STRAIN_HIGH = env_int("UPWARD_STRAIN_HIGH", 4)
UPWARD_STRAIN_ANSWERS = env_int("UPWARD_STRAIN_ANSWERS", 3)
# The invitation wave preview warns about people invited elsewhere this often in 12 months.
UPWARD_INVITATION_REPEAT_WARNING = env_int("UPWARD_INVITATION_REPEAT_WARNING", 1)

# API tokens: requests per token per window (a fixed window in the cache; 429 beyond it).
UPWARD_TOKEN_RATE_LIMIT = env_int("UPWARD_TOKEN_RATE_LIMIT", 600)
UPWARD_TOKEN_RATE_WINDOW_SECONDS = env_int("UPWARD_TOKEN_RATE_WINDOW_SECONDS", 60)
# Webhooks: tries per delivery, the wait after the first failure (four times longer after each
# further one), and how long to wait for the receiver's answer.
UPWARD_WEBHOOK_MAX_ATTEMPTS = env_int("UPWARD_WEBHOOK_MAX_ATTEMPTS", 6)
UPWARD_WEBHOOK_RETRY_BASE_SECONDS = env_int("UPWARD_WEBHOOK_RETRY_BASE_SECONDS", 30)
UPWARD_WEBHOOK_TIMEOUT_SECONDS = env_int("UPWARD_WEBHOOK_TIMEOUT_SECONDS", 10)
# Only for tests: lets a webhook point at http://127.0.0.1 (a local receiver).
UPWARD_WEBHOOK_ALLOW_LOOPBACK_HTTP = False
