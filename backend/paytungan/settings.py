"""The one settings module. Everything comes from environment variables (see docs/operations.md).

Validated at import: a missing or malformed variable stops start-up with a message naming it.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
import zoneinfo
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url

from paytungan.env import (
    ConfigError,
    env_bool,
    env_int,
    env_list,
    env_required,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = BASE_DIR.parent

DEBUG = env_bool("DEBUG", False)

# --- secrets ---------------------------------------------------------------------------------
_DEV_SECRET = "dev-only-secret-key-not-for-production-0123456789-abcdefghijklmnop"  # noqa: S105
if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY") or _DEV_SECRET
else:
    SECRET_KEY = env_required("SECRET_KEY", "when DEBUG is off (50+ random characters)")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ConfigError("SECRET_KEY", "must be at least 50 characters with 5+ distinct ones")
# Old keys still accepted for signatures (sessions, password-reset links) during a rotation.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

# --- hosts -----------------------------------------------------------------------------------
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ConfigError("ALLOWED_HOSTS", "is required when DEBUG is off (comma-separated hosts)")
for _host in ALLOWED_HOSTS:
    # Django matches an entry exactly, ".example.com" as the domain and its subdomains, or "*" as
    # anything: "*.run.app" matches nothing, and "*" or ".run.app" (every Cloud Run service) check
    # nothing, so a production Host check would only look present.
    if "*" in _host and (_host != "*" or not DEBUG):
        raise ConfigError("ALLOWED_HOSTS", f"{_host!r}: no wildcards; list hosts, or .domain")
    if _host.startswith(".") and (_host == ".run.app" or _host.endswith(".run.app")):
        raise ConfigError("ALLOWED_HOSTS", f"{_host!r} covers other people's services; list hosts")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
for _origin in CSRF_TRUSTED_ORIGINS:
    if urlparse(_origin).scheme not in ("http", "https") or not urlparse(_origin).netloc:
        raise ConfigError("CSRF_TRUSTED_ORIGINS", f"{_origin!r} is not an origin like https://x.y")
FRONTEND_URL = (env_str("FRONTEND_URL") or "http://localhost:8000").rstrip("/")
if urlparse(FRONTEND_URL).scheme not in ("http", "https") or not urlparse(FRONTEND_URL).netloc:
    raise ConfigError("FRONTEND_URL", f"{FRONTEND_URL!r} is not a URL like https://x.y")

# --- apps ------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "paytungan.ops",
    "paytungan.ops.usage",
    "paytungan.accounts",
    "paytungan.groups",
    "paytungan.bills",
    "paytungan.payments",
    "paytungan.alerts",
    "paytungan.receipts",
    "paytungan.imports",
    "paytungan.notifications",
    "paytungan.recurring",
]


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # its parent package isn't there either
        return False


# Seed data lives outside the deployed package (tools/seed, decision 0022): its commands
# (demo_data, seed_bench) exist wherever a checkout has it; the production image has none.
if _importable("tools.seed"):
    INSTALLED_APPS.append("tools.seed")

MIDDLEWARE = [
    # Health first: probes must answer whatever Host header they carry and without a session.
    "paytungan.ops.middleware.HealthCheckMiddleware",
    "paytungan.ops.middleware.RequestLogMiddleware",
    # Just inside the request log: times everything below it (security, sessions, CSRF, auth,
    # view) and still sees the user id the API's auth sets; health probes are answered above,
    # uncounted (docs/capacity.md, "Metrics" and "Usage analytics").
    "paytungan.ops.metrics.middleware.TrafficMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The language of every answer, before anything can answer (even a 413 from the error
    # shape): the app's language cookie, else Accept-Language; an authenticated request then
    # switches to the user's profile locale in accounts.auth (decision 0018).
    "django.middleware.locale.LocaleMiddleware",
    "paytungan.common.middleware.ApiErrorShapeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # /admin/ gated by ADMIN_ENABLED, and its login throttled like the API's.
    "paytungan.accounts.admin_gate.AdminGateMiddleware",
]

# Skipped for Bearer-token calls of group routes, which need none of them (ops/handler.py).
BEARER_SKIPPED_MIDDLEWARE = [
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "paytungan.accounts.admin_gate.AdminGateMiddleware",
]

ROOT_URLCONF = "paytungan.urls"
WSGI_APPLICATION = "paytungan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- database --------------------------------------------------------------------------------
_db_url = env_str("DATABASE_URL")
if not _db_url:
    if not DEBUG:
        raise ConfigError("DATABASE_URL", "is required when DEBUG is off (postgres://...)")
    _db_url = f"sqlite:///{REPO_DIR / 'var' / 'paytungan.sqlite3'}"
try:
    _db = dj_database_url.parse(
        _db_url,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
except ValueError as exc:
    raise ConfigError("DATABASE_URL", str(exc)) from None
if not _db.get("ENGINE"):
    raise ConfigError("DATABASE_URL", "unsupported scheme (use postgres:// or sqlite:///)")
if _db["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with a per-request health check that needs no round trip.
    _db["ENGINE"] = "paytungan.common.postgres"
    _db.setdefault("OPTIONS", {})
    _db["OPTIONS"].setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5, minimum=1))
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache (optional Redis; the app needs nothing but its database) --------------------------
_redis = env_str("REDIS_URL")
if _redis:
    if urlparse(_redis).scheme not in ("redis", "rediss", "unix"):
        raise ConfigError("REDIS_URL", "must start with redis://, rediss:// or unix://")
    if importlib.util.find_spec("redis") is None:
        raise ConfigError("REDIS_URL", "is set but the 'redis' package is not installed")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis}
        if _redis
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- auth ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3600, minimum=60)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 30, minimum=300)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The SPA reads the token from GET /api/auth/csrf, so the cookie itself can stay HttpOnly.
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "paytungan.common.errors.csrf_failure"

# --- throttling (database-backed so it holds across instances) -------------------------------
THROTTLE_ENABLED = env_bool("THROTTLE_ENABLED", True)
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 10, minimum=1)
# Failures for one account from all addresses together (accounts/lockout.py, decision 0008).
LOGIN_FAILURES_PER_ACCOUNT_TOTAL = env_int("LOGIN_FAILURES_PER_ACCOUNT_TOTAL", 100, minimum=1)
LOGIN_DEVICE_COOKIE_AGE = env_int("LOGIN_DEVICE_COOKIE_AGE", 60 * 60 * 24 * 365, minimum=60)
# Django's admin (/admin/); off: every /admin/ URL is a 404 (accounts/admin_gate.py).
ADMIN_ENABLED = env_bool("ADMIN_ENABLED", True)
LOGIN_ATTEMPTS_PER_IP = env_int("LOGIN_ATTEMPTS_PER_IP", 50, minimum=1)
LOGIN_WINDOW_SECONDS = env_int("LOGIN_WINDOW_SECONDS", 900, minimum=1)
API_REQUESTS_PER_MINUTE = env_int("API_REQUESTS_PER_MINUTE", 600, minimum=1)
REGISTRATIONS_PER_IP_PER_HOUR = env_int("REGISTRATIONS_PER_IP_PER_HOUR", 20, minimum=1)
NUM_PROXIES = env_int("NUM_PROXIES", 0, minimum=0)
# How long a safe request's caller (user, token, membership) may be answered from process memory;
# change notices from PostgreSQL drop an entry at once (accounts/caller_cache.py). 0: off.
CALLER_CACHE_SECONDS = env_int("CALLER_CACHE_SECONDS", 10, minimum=0)
# GET /api/groups and balances with a Bearer token answered in front of Django's request cycle
# (paytungan/hot_reads.py, decision 0026); off: Django answers them like every other route.
HOT_READS = env_bool("HOT_READS", True)

# --- email -----------------------------------------------------------------------------------
_email_backend = env_str("EMAIL_BACKEND") or ("console" if DEBUG else "smtp")
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
if _email_backend not in _EMAIL_BACKENDS:
    raise ConfigError("EMAIL_BACKEND", f"must be one of {', '.join(_EMAIL_BACKENDS)}")
EMAIL_BACKEND = _EMAIL_BACKENDS[_email_backend]
EMAIL_HOST = env_str("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ConfigError("EMAIL_USE_SSL", "cannot be on together with EMAIL_USE_TLS")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "Paytungan <no-reply@paytungan.local>"

# --- email reminders and the weekly digest (notifications/, docs/decisions/0020) ---------------
# A pending payment is brought to its receiver's attention once, after this many hours.
PENDING_PAYMENT_REMINDER_HOURS = env_int("PENDING_PAYMENT_REMINDER_HOURS", 24, minimum=1)
# Default N of "a balance owed for N days" (each user may choose 1-90 in their preferences).
BALANCE_REMINDER_DAYS = env_int("BALANCE_REMINDER_DAYS", 7, minimum=1)
if BALANCE_REMINDER_DAYS > 90:
    raise ConfigError("BALANCE_REMINDER_DAYS", "must be at most 90")
# SMTP failures are retried by later runs, at most this many attempts in all per email.
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 5, minimum=1)
# How many emails one run of send_reminders sends at most (the rest wait for the next run).
NOTIFICATION_BATCH = env_int("NOTIFICATION_BATCH", 500, minimum=1)

# --- i18n ------------------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
# The API's messages (gettext catalogues, compiled by `make setup`; decision 0018).
LOCALE_PATHS = [BASE_DIR / "paytungan" / "locale"]
# The cookie the frontend writes when someone picks a language (frontend/src/lib/i18n.ts,
# LOCALE_COOKIE): the API reads the same one, so both speak the language the person chose.
LANGUAGE_COOKIE_NAME = "locale"
TIME_ZONE = env_str("TIME_ZONE") or "Asia/Jakarta"
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ConfigError("TIME_ZONE", f"{TIME_ZONE!r} is not an IANA time zone") from None
USE_I18N = True
USE_TZ = True

# --- static ----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = REPO_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- request limits --------------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_REQUEST_BYTES", 1024 * 1024, minimum=1024)

# --- receipt scanning (docs/decisions/0014) ----------------------------------------------------
RECEIPT_MAX_BYTES = env_int("RECEIPT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
RECEIPT_SCAN_CONCURRENCY = env_int("RECEIPT_SCAN_CONCURRENCY", 2, minimum=1)
RECEIPT_SCANS_PER_HOUR = env_int("RECEIPT_SCANS_PER_HOUR", 60, minimum=1)
RECEIPT_OCR_TIMEOUT_SECONDS = env_int("RECEIPT_OCR_TIMEOUT_SECONDS", 15, minimum=1)
RECEIPT_SCAN_RETRY_AFTER_SECONDS = 5
# Imports (Splitwise CSV, ihatemoney and Spliit JSON): the file size and the per-user rate.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
IMPORTS_PER_HOUR = env_int("IMPORTS_PER_HOUR", 60, minimum=1)

# --- security (production) -------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^api/health/", r"^metrics$", r"^hooks/"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- logging: one JSON object per line on stdout (Cloud Logging picks the fields up) ---------
LOG_LEVEL = (env_str("LOG_LEVEL") or "INFO").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ConfigError("LOG_LEVEL", "must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "paytungan.ops.logging.JsonFormatter"}},
    "handlers": {
        "stdout": {
            # Written from a background thread: a request never waits on stdout (ops/logging.py).
            "class": "paytungan.ops.logging.BackgroundStreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Requests are logged once by RequestLogMiddleware; Django's own lines would duplicate.
        "django.request": {"level": "CRITICAL"},
        "django.server": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_MAX_LIMIT = 200

# --- error monitoring (Sentry; off unless SENTRY_DSN is set) ---------------------------------
from paytungan.ops.sentry import init_sentry  # noqa: E402

init_sentry(debug=DEBUG)

# --- alert relay: Sentry / uptime webhooks -> Discord (docs/operations.md, "Alerts") ----------
from paytungan.alerts.config import parse_webhook_routes, parse_webhook_url  # noqa: E402
from paytungan.env import env_parsed  # noqa: E402


def _seconds(raw: str) -> float:
    value = float(raw)
    if not 0 < value < 86400:
        raise ValueError(f"must be a number of seconds above 0, got {raw!r}")
    return value


# Sentry integration client secrets; two (comma-separated) while rotating.
SENTRY_WEBHOOK_SECRETS = env_list("SENTRY_WEBHOOK_SECRET")
# Shared secret in the URL of the unsigned hooks (legacy Sentry plugin, Cloud Monitoring).
ALERT_HOOK_TOKEN = env_str("ALERT_HOOK_TOKEN") or ""
if ALERT_HOOK_TOKEN and len(ALERT_HOOK_TOKEN) < 24:
    raise ConfigError("ALERT_HOOK_TOKEN", "must be at least 24 characters (a random token)")
DISCORD_WEBHOOK_URL = env_parsed("DISCORD_WEBHOOK_URL", "", parse_webhook_url)
_no_routes: dict[str, str] = {}
DISCORD_WEBHOOK_ROUTES = env_parsed("DISCORD_WEBHOOK_ROUTES", _no_routes, parse_webhook_routes)
ALERT_FOLD_WINDOW_SECONDS = env_int("ALERT_FOLD_WINDOW_SECONDS", 300, minimum=0)
ALERT_HOOK_MAX_AGE_SECONDS = env_int("ALERT_HOOK_MAX_AGE_SECONDS", 300, minimum=10)
ALERT_RETRY_BASE_SECONDS = env_parsed("ALERT_RETRY_BASE_SECONDS", 2.0, _seconds)
ALERT_RETRY_MAX_SECONDS = env_parsed("ALERT_RETRY_MAX_SECONDS", 300.0, _seconds)
ALERT_DISCORD_TIMEOUT_SECONDS = env_parsed("ALERT_DISCORD_TIMEOUT_SECONDS", 5.0, _seconds)
# Deliver from a short-lived thread right after storing (else only `manage.py deliver_alerts`).
ALERT_DELIVER_ON_RECEIVE = env_bool("ALERT_DELIVER_ON_RECEIVE", True)
# A delivering worker's lease on the rows it sends (renewed before each send): a crashed
# worker's rows are sent again after this.
ALERT_CLAIM_LEASE_SECONDS = env_parsed("ALERT_CLAIM_LEASE_SECONDS", 30.0, _seconds)
# Webhooks that could not be stored (database down or slow) wait here, then go to the outbox.
ALERT_SPOOL_DIR = env_str("ALERT_SPOOL_DIR") or os.path.join(
    tempfile.gettempdir(), "paytungan-alert-spool"
)

# --- metrics and usage analytics (docs/capacity.md, "Metrics" and "Usage analytics") ----------
# Bearer token for GET /metrics; without one the endpoint is served only when DEBUG is on.
METRICS_TOKEN = env_str("METRICS_TOKEN") or ""
if METRICS_TOKEN and len(METRICS_TOKEN) < 24:
    raise ConfigError("METRICS_TOKEN", "must be at least 24 characters (a random token)")
# Usage counts are written from memory every this many seconds, or sooner after this many requests.
USAGE_FLUSH_SECONDS = env_int("USAGE_FLUSH_SECONDS", 60, minimum=1)
USAGE_FLUSH_REQUESTS = env_int("USAGE_FLUSH_REQUESTS", 1000, minimum=1)
